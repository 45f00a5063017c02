"""Files converted by a real spreadsheet application (LibreOffice, headless), for tests."""

import shutil
import subprocess
from pathlib import Path


def soffice_convert(source: Path, to: str, outdir: Path | None = None) -> Path:
    """Convert `source` with LibreOffice (`to` as for --convert-to, e.g. "ods" or a CSV filter);
    returns the converted file's path. Its profile lives beside the output, so tests running at
    the same time do not share one."""
    outdir = outdir or source.parent
    subprocess.run(  # noqa: S603 - a fixed program with paths the test made
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{outdir}/profile",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return outdir / f"{source.stem}.{to.split(':')[0]}"
