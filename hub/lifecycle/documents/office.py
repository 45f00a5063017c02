"""Converting a filled document with LibreOffice (headless) for PDF: a fresh profile directory per
conversion (LibreOffice refuses to share one between processes) and a timeout."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from hub.lifecycle.documents.engine.syntax import TemplateError

TIMEOUT_SECONDS = 60


def available() -> bool:
    return shutil.which("soffice") is not None


def convert(data: bytes, source_format: str, target: str = "pdf") -> bytes:
    """`data` (an ODT or DOCX document) converted to `target` by LibreOffice."""
    program = shutil.which("soffice")
    if program is None:
        raise TemplateError(_("PDF needs LibreOffice, which is not installed on this server."))
    with tempfile.TemporaryDirectory(prefix="hub-office-") as work:
        folder = Path(work)
        source = folder / f"document.{source_format}"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - a fixed program with paths made here
                [
                    program,
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(folder / "out"),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
            return (folder / "out" / f"document.{target.split(':')[0]}").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise TemplateError(_("LibreOffice could not convert the document.")) from exc
