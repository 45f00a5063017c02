"""The checks a file passes before any parser sees it: its name, its size, what its bytes say it
is, macros and zip bombs; and the errors every reader raises (`Problem`, `TabularError`).
"""

from __future__ import annotations

import codecs
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FORMATS = ("csv", "xlsx", "ods", "wikitext")
# .wikitext: a wiki page's wikitext as the hub stored it (UTF-8), its tables read as sheets
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".ods": "ods",
    ".wikitext": "wikitext",
}
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam", ".ots", ".fods"}


@dataclass(frozen=True)
class Limits:
    """What the reader refuses. Defaults: the upload limit from settings, Excel's own cell limit."""

    max_bytes: int = 0  # 0 means settings.MAX_UPLOAD_BYTES
    max_uncompressed: int = 256 * 1024 * 1024
    max_ratio: int = 200
    max_members: int = 2000
    max_cell_chars: int = 32_767
    max_columns: int = 250
    max_merges: int = 20_000
    # a sheet's range, first to last filled cell (what a reader allocates); see tabular.census
    max_cells: int = 5_000_000
    # A wiki page's wikitext. Wikimedia wikis hold pages up to 2 MiB ($wgMaxArticleSize), but
    # mwparserfromhell builds its tree in Python (about 10 s for 1 MiB of dense table): above
    # this a page could keep a request past the web server's timeout.
    max_wikitext_bytes: int = 1024 * 1024

    @property
    def upload_bytes(self) -> int:
        return self.max_bytes or settings.MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class Problem:
    """One thing wrong, placed where the person will look for it."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column is not None:
            where.append(_("column '%(column)s'") % {"column": self.column})
        prefix = ", ".join(where)
        text = self.message
        if self.value is not None:
            text = f"'{shorten(self.value)}' {text}"
        return f"{prefix}: {text}" if prefix else text


class TabularError(Exception):
    """The file cannot be read at all; `problems` says why (usually one)."""

    def __init__(self, *problems: Problem):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in problems))


def _fail(message: str, **where: Any) -> TabularError:
    return TabularError(Problem(message, **where))


def shorten(text: Any, limit: int = 60) -> str:
    text = str(text).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _size_of(source: str | os.PathLike | IO[bytes]) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    position = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def _head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(n)


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def sniff_kind(head: bytes) -> str:
    """What the first bytes say the file is: zip, ole, html, xml, pdf, binary or text."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        return "empty-zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")):
        return "html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "html" if b"<html" in head.lower() else "xml"
    if b"\x00" in head and _utf16_without_bom(head) is None:
        return "binary"
    return "text"


def _utf16_without_bom(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def check_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    """Open a zip only if it cannot explode: few members, bounded total size and ratio."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(_("The file is damaged: it is not a readable spreadsheet.")) from exc
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        archive.close()
        raise _fail(_("The file holds too many parts to be a spreadsheet."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            archive.close()
            raise _fail(
                _("The file expands to far more than its size (a 'zip bomb'); it was not opened.")
            )
        if info.flag_bits & 0x1:
            archive.close()
            raise _fail(_("The file is password-protected. Save it without a password."))
    if total > limits.max_uncompressed:
        archive.close()
        raise _fail(
            _("The file unpacks to %(size)s, more than the %(limit)s the hub reads.")
            % {"size": _human(total), "limit": _human(limits.max_uncompressed)}
        )
    return archive


def _zip_kind(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100].strip()
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                return "ods-macro"
            return "ods"
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet-template":
            return "ods-template"
        return "other-zip"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        content_types = (
            archive.read("[Content_Types].xml")[:200_000] if "[Content_Types].xml" in names else b""
        )
        if (
            any(n.lower().endswith("vbaproject.bin") for n in names)
            or b"macroEnabled" in content_types
        ):
            return "xlsx-macro"
        if "xl/workbook.bin" in names:
            return "xlsb"
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "other-zip"


KIND_NAMES = {
    "ole": gettext_noop("an old Excel 97–2003 (.xls) or password-protected workbook"),
    "pdf": gettext_noop("a PDF document"),
    "html": gettext_noop("a web page (HTML)"),
    "xml": gettext_noop("an XML file"),
    "binary": gettext_noop("not a text file"),
    "docx": gettext_noop("a word-processor document"),
    "other-zip": gettext_noop("a ZIP archive that is not a spreadsheet"),
    "empty-zip": gettext_noop("an empty ZIP archive"),
    "xlsb": gettext_noop("a binary Excel workbook (.xlsb)"),
    "ods-template": gettext_noop("a spreadsheet template"),
}


def detect_format(path: Path, name: str, limits: Limits) -> str:
    """The format to read `path` as, or TabularError if its name and its bytes disagree."""
    ext = Path(name).suffix.lower()
    if ext in MACRO_EXTENSIONS:
        raise _fail(
            _(
                "Files that can hold macros (%(ext)s) are not accepted. Save the sheet as .xlsx, "
                ".ods or .csv."
            )
            % {"ext": ext}
        )
    if ext == ".xls":
        raise _fail(_("Old Excel files (.xls) are not accepted. Save the sheet as .xlsx or .ods."))
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise _fail(
            _("Only CSV, XLSX and ODS files can be imported (this one is named '%(name)s').")
            % {"name": shorten(Path(name).name, 80)}
        )
    size = _size_of(path)
    if size == 0:
        raise _fail(_("The file is empty."))
    if size > limits.upload_bytes:
        raise _fail(
            _("The file is %(size)s; the hub reads files up to %(limit)s.")
            % {"size": _human(size), "limit": _human(limits.upload_bytes)}
        )
    kind = sniff_kind(_head(path))
    if expected == "wikitext":
        return _wikitext_format(name, size, kind, limits)
    if kind == "zip":
        with check_zip(path, limits) as archive:
            kind = _zip_kind(archive)
        if kind in ("xlsx-macro", "ods-macro"):
            raise _fail(
                _(
                    "The file contains macros, which the hub does not accept. Save it as a plain "
                    ".xlsx, .ods or .csv without macros."
                )
            )
    actual = {"text": "csv", "xlsx": "xlsx", "ods": "ods"}.get(kind)
    if actual is None:
        raise _fail(
            _("The file is named '%(name)s' but is %(what)s. Save it as CSV, XLSX or ODS.")
            % {"name": shorten(Path(name).name, 80), "what": _(KIND_NAMES.get(kind, kind))}
        )
    if actual != expected:
        raise _fail(
            _(
                "The file is named '%(name)s' but its content is %(actual)s. Give it the right "
                "ending (.%(ending)s) or save it again."
            )
            % {"name": shorten(Path(name).name, 80), "actual": actual.upper(), "ending": actual}
        )
    return actual


def _wikitext_format(name: str, size: int, kind: str, limits: Limits) -> str:
    """ "wikitext" for a stored page of text: markup may begin with a tag (<div>, <noinclude>),
    so only what is no text at all is refused, and a page too large to parse in a request."""
    if kind not in ("text", "html", "xml"):
        raise _fail(
            _("The file is named '%(name)s' but is %(what)s, not the text of a wiki page.")
            % {
                "name": shorten(Path(name).name, 80),
                # every kind but a plain zip has its name; a zip is an archive here too
                "what": _(KIND_NAMES.get(kind, KIND_NAMES["other-zip"])),
            }
        )
    if size > limits.max_wikitext_bytes:
        raise _fail(
            _("The wiki page is %(size)s; the hub reads pages up to %(limit)s.")
            % {"size": _human(size), "limit": _human(limits.max_wikitext_bytes)}
        )
    return "wikitext"
