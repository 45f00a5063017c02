"""Reading spreadsheets people actually write: CSV, XLSX and ODS, defended, streamed, domain-free.

`open_table(path, name=...)` checks the file before any parser sees it (size, what its bytes say it
is, macros, zip bombs), chooses the sheet of a workbook (the one named, else the first whose rows
hold a recognisable header), finds the header row (title rows above it are common), and returns a `Table`
whose `rows()` streams one `Row` per data row, skipping blank rows and total rows. Every problem is
a `Problem` that names the row as the spreadsheet shows it (1-based, counting title rows) and the
column by its header, so a person can find it.

The parsers for what people type into cells (`parse_number`, `parse_date`) live here too, because
every importer needs them and none of them is about a domain.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import html
import io
import os
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hub.core.tabular.census import (
    Census,
    check_census,
    check_shared_strings,
    ods_census,
    xlsx_census,
)

FORMATS = ("csv", "xlsx", "ods")
EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".ods": "ods"}
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam", ".ots", ".fods"}
HEADER_SEARCH_ROWS = 20


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
    # a sheet's range, first to last filled cell (what a reader allocates); see tabular_census
    max_cells: int = 5_000_000

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


@dataclass
class Row:
    """A data row: its number as the spreadsheet shows it, values in header order, its problems."""

    number: int
    values: list[Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class SkippedRow:
    number: int
    label: str


def shorten(text: Any, limit: int = 60) -> str:
    text = str(text).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: Any) -> str:
    """Text for comparing names: no accents, no case, words separated by single spaces."""
    text = str(text)
    if not text.isascii():  # ASCII has nothing to decompose (and most names are ASCII)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def name_key(text: Any) -> str:
    """A name with case, accents, spacing and punctuation ignored: 'Müller G.m.b.H.' == 'muller gmbh'."""
    return fold(text).replace(" ", "").replace("_", "")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# -------------------------------------------------------------------------------------------------
# Checks before parsing
# -------------------------------------------------------------------------------------------------


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


# -------------------------------------------------------------------------------------------------
# Raw rows per format: each yields (row number, list of cell values), numbers 1-based
# -------------------------------------------------------------------------------------------------

ENCODING_NAMES = {
    "utf-8-sig": "UTF-8",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or evident), else Windows-1252, else Latin-1."""
    head = _head(path, 4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16 and _decodes(path, utf16):
        return utf16
    if _decodes(path, "utf-8"):
        return "utf-8"
    _refuse_mixed_encodings(path)
    if _decodes(path, "cp1252"):
        return "cp1252"
    return "latin-1"


def _refuse_mixed_encodings(path: Path) -> None:
    """A file that is not UTF-8 but has lines that are (rows pasted from another file, an export
    appended to an old one) would be read half as mojibake ("MÃ¼ller"): refused, naming a line
    of each kind, rather than guessed line by line."""
    utf8 = other = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                other = other or number
            else:
                utf8 = utf8 or number
            if utf8 and other:
                raise _fail(
                    _(
                        "The file mixes two text encodings: line %(utf8)s is UTF-8, line "
                        "%(other)s is not (it looks like Windows-1252 or Latin-1), so some names "
                        "would come out garbled. Save the file again as 'CSV UTF-8' and upload it."
                    )
                    % {"utf8": utf8, "other": other}
                )


DELIMITERS = (",", ";", "\t", "|")


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's first rows most consistently into the most fields."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut
    text = "".join(lines[:50])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        delimiter = detect_delimiter(sample)
        csv.field_size_limit(max(limits.upload_bytes, 131072))
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, record
        except csv.Error as exc:
            raise _fail(
                _("The CSV file cannot be read after row %(row)s: %(error)s")
                % {"row": number, "error": exc}
            ) from exc


_CELL_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"'
)
_UNCACHED_FORMULA = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?\s*</(?:\w+:)?c>'
)


def _ref(ref: bytes) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        return 0, 0
    col = 0
    for ch in match.group(1):
        col = col * 26 + (ch - 64)
    return int(match.group(2)), col - 1


# A sheet's raw rows, (row number, cell values), from a generator that can be closed early
RawRows = Generator[tuple[int, list[Any]], None, None]


@dataclass(frozen=True)
class SheetInfo:
    """One sheet as the workbook lists it. Only worksheets hold a table of cells; chart (and
    dialog or macro) sheets do not, and hidden sheets are not read unless asked for by name."""

    name: str
    index: int
    worksheet: bool = True
    hidden: bool = False
    member: str = ""  # XLSX: the part of the archive that holds the sheet's XML


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s([^>]*?)/?>")
_RELATIONSHIP_TAG = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*?)/?>")
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')


def _attributes(text: bytes) -> dict[str, str]:
    return {
        key.decode("ascii", "replace"): html.unescape(value.decode("utf-8", "replace"))
        for key, value in _ATTRIBUTE.findall(text)
    }


def xlsx_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """The sheets a workbook lists, in its order, each with the part that holds it. Read from
    the workbook's small index parts, without opening any sheet."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return []
    workbook = archive.read("xl/workbook.xml")[:2_000_000]
    rels = (
        archive.read("xl/_rels/workbook.xml.rels")[:2_000_000]
        if "xl/_rels/workbook.xml.rels" in names
        else b""
    )
    targets: dict[str, tuple[str, str]] = {}
    for match in _RELATIONSHIP_TAG.finditer(rels):
        attrs = _attributes(match.group(1))
        if "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = (attrs["Target"], attrs.get("Type", ""))
    sheets: list[SheetInfo] = []
    for match in _SHEET_TAG.finditer(workbook):
        attrs = _attributes(match.group(1))
        rid = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
        target, kind = targets.get(rid, ("", ""))
        member = ""
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            member = posixpath.normpath(member)
        worksheet = kind.endswith("/worksheet") if kind else "worksheets/" in member
        sheets.append(
            SheetInfo(
                name=attrs.get("name", ""),
                index=len(sheets),
                worksheet=worksheet and member in names,
                hidden=attrs.get("state", "visible") in ("hidden", "veryHidden"),
                member=member,
            )
        )
    return sheets


def _first_sheet_member(archive: zipfile.ZipFile) -> str:
    """The part name of the first worksheet, as the workbook lists it."""
    return next((s.member for s in xlsx_sheets(archive) if s.worksheet), "xl/worksheets/sheet1.xml")


def _ods_sheets(book: Any) -> list[SheetInfo]:
    import python_calamine

    hidden = (python_calamine.SheetVisibleEnum.Hidden, python_calamine.SheetVisibleEnum.VeryHidden)
    return [
        SheetInfo(name=meta.name, index=index, hidden=meta.visible in hidden)
        for index, meta in enumerate(book.sheets_metadata)
    ]


def scan_xlsx_sheet(
    path: Path, limits: Limits, member: str | None = None
) -> tuple[list[tuple[int, int, int, int]], set]:
    """Merged ranges (row1, col1, row2, col2) and the cells holding formulas without a saved value,
    in the sheet held by `member` (default: the first worksheet).

    openpyxl's read-only mode, which keeps memory flat, does not report merged cells; they sit at
    the end of the sheet's XML, so one streamed pass over the decompressed bytes finds them.
    """
    merges: list[tuple[int, int, int, int]] = []
    uncached: set[tuple[int, int]] = set()
    with zipfile.ZipFile(path) as archive:
        member = member or _first_sheet_member(archive)
        if member not in archive.namelist():
            return merges, uncached
        with archive.open(member) as stream:
            carry = b""
            while chunk := stream.read(1 << 20):
                data = carry + chunk
                # keep an unfinished tag for the next round
                cut = data.rfind(b"<")
                cut = cut if cut > len(data) - 4096 else len(data)
                block, carry = data[:cut], data[cut:]
                if b"<f" in block or b":f" in block:
                    # a formula cell may straddle the cut: check it again with the next block
                    last_cell = max(block.rfind(b"<c "), block.rfind(b":c "))
                    if last_cell > len(block) - 4096 and b"</c>" not in block[last_cell:]:
                        block, carry = block[:last_cell], block[last_cell:] + carry
                    for match in _UNCACHED_FORMULA.finditer(block):
                        if len(uncached) < 10_000:
                            uncached.add(_ref(match.group(1)))
                if b"mergeCell" in block:
                    for first, last in _MERGE.findall(block):
                        if len(merges) >= limits.max_merges:
                            break
                        r1, c1 = _ref(first)
                        r2, c2 = _ref(last)
                        merges.append((r1, c1, r2, c2))
            for match in _UNCACHED_FORMULA.finditer(carry):
                uncached.add(_ref(match.group(1)))
            for first, last in _MERGE.findall(carry):
                r1, c1 = _ref(first)
                r2, c2 = _ref(last)
                merges.append((r1, c1, r2, c2))
    return merges, uncached


class _Merger:
    """Fills each merged range with the value of its top-left cell while rows stream past."""

    def __init__(self, merges: Iterable[tuple[int, int, int, int]], limits: Limits):
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        self.top: dict[tuple[int, int, int, int], Any] = {}
        self.max_columns = limits.max_columns
        area = 0  # each row a merge spans costs a look at it, each cell a copy
        for merge in merges:
            r1, c1, r2, c2 = merge
            if r2 < r1 or c2 < c1 or c2 - c1 > self.max_columns:
                continue
            area += (r2 - r1 + 1) * (c2 - c1 + 1)
            self.by_row.setdefault(r1, []).append(merge)
        if area > limits.max_cells:
            raise _fail(
                _(
                    "The sheet's merged cells cover %(n)s cells; the hub reads at most %(max)s. "
                    "Unmerge them and save the file again."
                )
                % {"n": f"{area:,}", "max": f"{limits.max_cells:,}"}
            )

    def apply(self, number: int, values: list[Any]) -> list[Any]:
        if not self.by_row and not self.top:
            return values
        for merge in self.by_row.pop(number, ()):
            _r1, c1, _r2, _c2 = merge
            value = values[c1] if c1 < len(values) else None
            self.top[merge] = value
        finished = []
        for merge, value in self.top.items():
            _r1, c1, r2, c2 = merge
            if number > r2:
                finished.append(merge)
                continue
            if value is None or value == "":
                continue
            if len(values) <= c2:
                values = list(values) + [None] * (c2 + 1 - len(values))
            for col in range(c1, c2 + 1):
                values[col] = value
        for merge in finished:
            del self.top[merge]
        return values


# Sheets up to this much XML are read with calamine (Rust), about 20 times faster than openpyxl;
# it holds the whole sheet, about as many bytes as its XML, so larger sheets stream with openpyxl.
CALAMINE_SHEET_BYTES = 64 * 1024 * 1024


def _sheet_census(path: Path, limits: Limits, sheet: SheetInfo | None, exact: bool) -> Census:
    """The census of a worksheet (default: the first), checked: see tabular_census."""
    with zipfile.ZipFile(path) as archive:
        if sheet is None:
            sheet = next((s for s in xlsx_sheets(archive) if s.worksheet), None)
        if sheet is None:
            return Census()
        census = xlsx_census(archive, sheet.member, sheet.name, exact=exact)
    check_census(census, limits)
    return census


def _calamine_sheet(path: Path, sheet: SheetInfo | None = None, cache: dict | None = None) -> Any:
    """A worksheet (default: the first) as calamine reads it, or None when openpyxl should."""
    import python_calamine

    cache = {} if cache is None else cache
    with zipfile.ZipFile(path) as archive:
        member = sheet.member if sheet is not None else _first_sheet_member(archive)
        try:
            if archive.getinfo(member).file_size > CALAMINE_SHEET_BYTES:
                return None
        except KeyError:
            return None
    try:
        if "calamine" not in cache:
            cache["calamine"] = python_calamine.CalamineWorkbook.from_path(str(path))
        workbook = cache["calamine"]
        if sheet is not None and sheet.name:
            return workbook.get_sheet_by_name(sheet.name)
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        first = next((m.name for m in workbook.sheets_metadata if m.typ == worksheet), None)
        return None if first is None else workbook.get_sheet_by_name(first)
    except Exception:  # openpyxl reads it instead, or names the damage
        return None


def _xlsx_rows(
    path: Path,
    limits: Limits,
    state: dict,
    sheet: SheetInfo | None = None,
    cache: dict | None = None,
) -> RawRows:
    cache = {} if cache is None else cache
    if "strings" not in cache:
        with zipfile.ZipFile(path) as archive:
            check_shared_strings(archive, limits)
        cache["strings"] = True
    # no library is asked for a sheet before its filled cells are counted and found few enough
    census = _sheet_census(path, limits, sheet, exact=False)
    state["census"] = census
    merges, uncached = scan_xlsx_sheet(path, limits, sheet.member if sheet else None)
    state["uncached"] = uncached
    merger = _Merger(merges, limits)
    found = None if census.empty else _calamine_sheet(path, sheet, cache)
    if found is not None:
        start_row, start_col = found.start or (0, 0)
        pad = [None] * start_col
        for index, values in enumerate(found.iter_rows()):
            number = start_row + index + 1
            yield number, merger.apply(number, pad + list(values))
        return
    if census.empty:
        return
    if not census.exact:  # openpyxl holds every cell a row lists, filled or not: count them
        census = _sheet_census(path, limits, sheet, exact=True)
    yield from _openpyxl_rows(path, sheet, census, merger)


def _openpyxl_rows(path: Path, sheet: SheetInfo | None, census: Census, merger: _Merger) -> RawRows:
    """The sheet's rows streamed by openpyxl, bounded by its census (not by its <dimension>)."""
    import openpyxl  # only here: importing it adds 15 MB to the process

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        raise _fail(_("The XLSX file cannot be read: it looks damaged.")) from exc
    try:
        if sheet is not None and sheet.name:
            worksheet = workbook[sheet.name]
        else:
            worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(
            min_row=1, max_row=census.last_row, max_col=census.last_col + 1, values_only=True
        )
        for number, values in enumerate(rows, start=1):
            yield number, merger.apply(number, list(values))
    except TabularError:
        raise
    except Exception as exc:
        raise _fail(_("The XLSX file cannot be read: it looks damaged.")) from exc
    finally:
        workbook.close()


def verify_ods(path: Path) -> bool:
    """Unpack every part once through zipfile, which stops at the size each header declares and
    checks it, so a lying header cannot make the reader unpack more than check_zip allowed.
    Refuses XML with entity declarations; says whether the sheet has merged cells."""
    merged = False
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            carry = b""
            with archive.open(info) as stream:
                try:
                    while chunk := stream.read(1 << 20):
                        if info.filename.endswith(".xml"):
                            window = carry + chunk
                            if b"<!ENTITY" in window or b"<!DOCTYPE" in window:
                                raise _fail(_("The ODS file contains XML the hub does not read."))
                            if info.filename == "content.xml" and b"-spanned=" in window:
                                merged = True
                            carry = chunk[-64:]
                except (zipfile.BadZipFile, EOFError, OSError) as exc:
                    raise _fail(_("The ODS file is damaged.")) from exc
    return merged


def scan_ods_merges(path: Path, limits: Limits, index: int = 0) -> list[tuple[int, int, int, int]]:
    """Merged ranges of one table (default: the first) of an ODS file (calamine does not report
    them for ODS). Call verify_ods first: it refuses entity declarations, so this parser is safe."""
    from defusedxml.ElementTree import iterparse

    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    merges: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        row = 0
        col = 0
        depth = 0
        seen = -1  # index of the table being read
        events = iterparse(stream, events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            tag = element.tag
            if tag == t + "table":
                if event == "start":
                    depth += 1
                    if depth == 1:
                        seen += 1
                        if seen > index:
                            break
                else:
                    depth -= 1
                    element.clear()
                continue
            if depth != 1 or seen != index:
                if event == "end" and tag == t + "table-row":
                    element.clear()
                continue
            if tag == t + "table-row":
                if event == "start":
                    col = 0
                else:
                    row += int(element.get(t + "number-rows-repeated", "1"))
                    element.clear()
            elif tag in (t + "table-cell", t + "covered-table-cell") and event == "start":
                spans_c = int(element.get(t + "number-columns-spanned", "1"))
                spans_r = int(element.get(t + "number-rows-spanned", "1"))
                if (spans_c > 1 or spans_r > 1) and len(merges) < limits.max_merges:
                    merges.append((row + 1, col, row + spans_r, col + spans_c - 1))
                col += int(element.get(t + "number-columns-repeated", "1"))
    return merges


def _ods_tables(path: Path, limits: Limits) -> list[Census]:
    """The census of each table of an ODS file, checked one by one and together."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        try:
            tables = ods_census(stream)
        except DefusedXmlException as exc:
            raise _fail(_("The ODS file contains XML the hub does not read.")) from exc
        except Exception as exc:  # XML syntax errors
            raise _fail(_("The ODS file cannot be read: it looks damaged.")) from exc
    for census in tables:
        check_census(census, limits)
    total = sum(census.cells for census in tables)
    if total > limits.max_cells:
        raise _fail(
            _(
                "The workbook's %(n)s sheets span %(cells)s cells together; the hub reads at most "
                "%(max)s from an ODS file, which is read whole. Delete the sheets you do not need."
            )
            % {"n": len(tables), "cells": f"{total:,}", "max": f"{limits.max_cells:,}"}
        )
    return tables


def _ods_book(path: Path, cache: dict) -> Any:
    """The ODS workbook as calamine parses it (all of it, once per open_table); verified first."""
    import python_calamine

    if "calamine" not in cache:
        cache["merged"] = verify_ods(path)
        # calamine reads every table at once: each must be small enough, and all of them together
        cache["census"] = _ods_tables(path, cache.get("limits") or Limits())
        try:
            cache["calamine"] = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:
            raise _fail(_("The ODS file cannot be read: it looks damaged.")) from exc
    return cache["calamine"]


def _ods_rows(
    path: Path, limits: Limits, sheet: SheetInfo | None = None, cache: dict | None = None
) -> RawRows:
    cache = {} if cache is None else cache
    workbook = _ods_book(path, cache)
    index = sheet.index if sheet is not None else 0
    merges = scan_ods_merges(path, limits, index) if cache["merged"] else []
    try:
        found = workbook.get_sheet_by_index(index)
        start_row, start_col = found.start or (0, 0)
        rows = found.iter_rows()
    except Exception as exc:
        raise _fail(_("The ODS file cannot be read: it looks damaged.")) from exc
    merger = _Merger(merges, limits)
    pad = [None] * start_col
    for number_index, values in enumerate(rows):
        number = start_row + number_index + 1
        yield number, merger.apply(number, pad + list(values))


# -------------------------------------------------------------------------------------------------
# The table: header detection, blank and total rows, cell checks
# -------------------------------------------------------------------------------------------------

TOTAL_WORDS = (
    "total", "totals", "grand total", "subtotal", "sub total", "sum", "summe", "zwischensumme",
    "gesamt", "gesamtsumme", "insgesamt", "totale", "somme", "suma", "suma total", "totaal",
    "totalt", "summa", "yhteensa", "razem", "celkem", "итого", "всего", "разом", "усього",
    "合計", "合计", "总计", "總計", "المجموع", "الإجمالي", 'סה"כ', "סהכ", "σύνολο", "toplam",
)  # fmt: skip
_TOTAL = re.compile(
    r"^(?:" + "|".join(re.escape(fold(w)) for w in TOTAL_WORDS) + r")(?:\s|$)", re.UNICODE
)
_FOLDED_TOTALS = {fold(w) for w in TOTAL_WORDS}


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_like_total(values: list[Any]) -> str | None:
    """The label if this row is a total row: its first text says 'Total' and it has little text."""
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if not texts or len(texts) > 2:
        return None
    label = fold(texts[0])
    if label in _FOLDED_TOTALS or _TOTAL.match(label):
        return texts[0].strip()
    return None


_FORMULA = re.compile(r"^[=+\-@\t\r]\s*[A-Za-z_][\w.]*\s*[(|!]|^=")


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (=HYPERLINK(...), =cmd|..., @SUM(...))."""
    return bool(_FORMULA.match(text))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value or None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


@dataclass
class Table:
    """An opened spreadsheet: its headers and a stream of data rows. Use `rows()` once."""

    format: str
    headers: list[str]
    header_row: int
    encoding: str = ""
    sheet: str = ""  # the sheet read, in a workbook
    sheets: list[str] = field(default_factory=list)  # the workbook's worksheets, in its order
    skipped: list[SkippedRow] = field(default_factory=list)
    _raw: Iterator[tuple[int, list[Any]]] | None = None
    _buffered: list[tuple[int, list[Any]]] = field(default_factory=list)
    _limits: Limits = field(default_factory=Limits)
    _state: dict = field(default_factory=dict)
    _ignored_columns: set[int] = field(default_factory=set)

    def column_name(self, index: int) -> str:
        if index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return _("column %(letter)s (no header)") % {"letter": column_letter(index)}

    def rows(self) -> Iterator[Row]:
        """Data rows below the header; blank and total rows are left out (totals in `skipped`)."""
        width = len(self.headers)
        max_chars = self._limits.max_cell_chars
        uncached = self._state.get("uncached") or set()
        sources: list[Iterable[tuple[int, list[Any]]]] = [self._buffered]
        if self._raw is not None:
            sources.append(self._raw)
        # A CSV row is all text: cleaned with C-level string methods, and only a row with at
        # most two filled cells can be a total row (a third of an import's reading time).
        texts_only = self.format == "csv"
        for source in sources:
            for number, raw in source:
                if texts_only:
                    stripped = list(map(str.strip, raw))
                    filled = len(stripped) - stripped.count("")
                    if not filled:
                        continue
                    if "\r" in "\n".join(stripped):
                        values = [_clean(v) for v in stripped]
                    else:
                        values = [v or None for v in stripped]
                    label = looks_like_total(values) if filled <= 2 else None
                    longest = max(map(len, stripped))
                else:
                    longest = max_chars + 1  # cells of any type: each one is looked at
                    values = [_clean(v) for v in raw]
                    if all(v is None for v in values):
                        continue
                    label = looks_like_total(values)
                if label is not None:
                    self.skipped.append(SkippedRow(number, label))
                    continue
                problems: list[Problem] = []
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
                elif len(values) > width:
                    extra = values[width:]
                    for offset, value in enumerate(extra):
                        if value is not None:
                            problems.append(
                                Problem(
                                    _("has a value in a column without a header."),
                                    row=number,
                                    column=self.column_name(width + offset),
                                )
                            )
                            break
                    values = values[:width]
                for index in self._ignored_columns:
                    if values[index] is not None:
                        problems.append(
                            Problem(
                                _("has a value in a column without a header."),
                                row=number,
                                column=self.column_name(index),
                            )
                        )
                        values[index] = None
                for index, value in enumerate(values if longest > max_chars else ()):
                    if isinstance(value, str) and len(value) > max_chars:
                        problems.append(
                            Problem(
                                _("holds %(n)s characters; a cell can hold at most %(max)s.")
                                % {"n": f"{len(value):,}", "max": f"{max_chars:,}"},
                                row=number,
                                column=self.column_name(index),
                            )
                        )
                        values[index] = None
                if uncached:
                    for index in range(width):
                        if (number, index) in uncached and values[index] is None:
                            problems.append(
                                Problem(
                                    _(
                                        "has a formula whose result is not saved in the file; "
                                        "open the file in your spreadsheet application and save "
                                        "it again."
                                    ),
                                    row=number,
                                    column=self.column_name(index),
                                )
                            )
                yield Row(number, values, problems)


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _known_count(values: list[Any], header_words: set[str]) -> int:
    """How many different known header words a row holds."""
    return len({fold(v) for v in values if isinstance(v, str) and v.strip()} & header_words)


def _known_header(rows: list[tuple[int, list[Any]]], header_words: set[str]) -> int | None:
    """Index in `rows` of the row with the most known header words, at least two (one if only one
    is known); the earliest on a tie. The most, not the first: a grouped heading above the real
    header ("Le don | Nature | Valorisation", merged over its columns) may hold two as well."""
    if not header_words:
        return None
    counts = [_known_count(values, header_words) for _number, values in rows]
    best = max(counts, default=0)
    if best < min(2, len(header_words)):
        return None
    return counts.index(best)


def _find_header(rows: list[tuple[int, list[Any]]], header_words: set[str]) -> int:
    """Index in `rows` of the header: the row with the most known header words (see
    _known_header), else the row with the most text cells among the first rows (the earliest on a
    tie)."""
    known = _known_header(rows, header_words)
    if known is not None:
        return known
    best_index, best_texts = 0, -1
    for index, (_number, values) in enumerate(rows):
        distinct = len({fold(v) for v in values if isinstance(v, str) and v.strip()})
        if distinct > best_texts:
            best_index, best_texts = index, distinct
    return best_index


def _first_rows(raw: Iterator[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The first non-blank rows, where the header is looked for."""
    buffered: list[tuple[int, list[Any]]] = []
    for number, values in raw:
        if all(_is_blank(v) for v in values):
            continue
        buffered.append((number, values))
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    return buffered


def _list_sheets(path: Path, fmt: str, cache: dict) -> list[SheetInfo]:
    if fmt == "xlsx":
        with zipfile.ZipFile(path) as archive:
            return xlsx_sheets(archive)
    if fmt == "ods":
        return _ods_sheets(_ods_book(path, cache))
    return []


def list_sheets(
    path: str | os.PathLike, *, name: str | None = None, limits: Limits | None = None
) -> list[SheetInfo]:
    """The sheets of an XLSX or ODS workbook in its order (none for CSV), after the same checks as
    `open_table`. XLSX sheets are listed from the workbook's index without reading any sheet;
    for ODS, calamine parses the file (it has no separate index)."""
    limits = limits or Limits()
    path = Path(path)
    try:
        fmt = detect_format(path, name or path.name, limits)
        return _list_sheets(path, fmt, {"limits": limits})
    except OSError as exc:
        raise _fail(_("The file cannot be read.")) from exc


def count_rows(path: str | os.PathLike, fmt: str, sheet: str = "") -> int:
    """How many rows hold cells in `sheet` of an XLSX or ODS workbook (default: the first
    worksheet), from the cells present, whatever the sheet's <dimension> says (or if it has
    none). Call it on a file open_table accepted."""
    path = Path(path)
    if fmt == "ods":
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            tables = ods_census(stream)
        named = [t for t in tables if t.name == sheet] or tables[:1]
        return named[0].rows if named else 0
    with zipfile.ZipFile(path) as archive:
        worksheets = [s for s in xlsx_sheets(archive) if s.worksheet]
        found = [s for s in worksheets if s.name == sheet] or worksheets[:1]
        if not found:
            return 0
        return xlsx_census(archive, found[0].member, found[0].name).rows


def sheet_names(
    path: str | os.PathLike, *, name: str | None = None, limits: Limits | None = None
) -> list[str]:
    """Names of the worksheets (sheets that hold cells, hidden ones too) of a workbook."""
    return [s.name for s in list_sheets(path, name=name, limits=limits) if s.worksheet]


def _quoted_names(sheets: list[SheetInfo]) -> str:
    names = [f"'{shorten(s.name, 80)}'" for s in sheets if s.worksheet]
    return ", ".join(names) if names else _("(none)")


def _named_sheet(sheets: list[SheetInfo], wanted: str) -> SheetInfo:
    """The sheet named `wanted` (exactly, else ignoring case and spacing)."""
    found = [s for s in sheets if s.name == wanted]
    if not found:
        loose = " ".join(wanted.split()).casefold()
        found = [s for s in sheets if " ".join(s.name.split()).casefold() == loose]
    if len(found) != 1:
        raise _fail(
            _("The workbook has no sheet named '%(sheet)s'. Its sheets: %(names)s.")
            % {"sheet": shorten(wanted, 80), "names": _quoted_names(sheets)}
        )
    if not found[0].worksheet:
        raise _fail(
            _("The sheet '%(sheet)s' is a chart, not a table of cells. Its sheets: %(names)s.")
            % {"sheet": shorten(found[0].name, 80), "names": _quoted_names(sheets)}
        )
    return found[0]


def _open_sheet(
    path: Path, fmt: str, limits: Limits, sheet: SheetInfo | None, cache: dict
) -> tuple[RawRows, dict]:
    state: dict = {}
    if fmt == "xlsx":
        return _xlsx_rows(path, limits, state, sheet, cache), state
    return _ods_rows(path, limits, sheet, cache), state


def _known_words(rows: list[tuple[int, list[Any]]], header_words: set[str]) -> int:
    """The most known header words any one of `rows` holds."""
    return max((_known_count(values, header_words) for _number, values in rows), default=0)


def _choose_sheet(
    path: Path,
    fmt: str,
    limits: Limits,
    sheets: list[SheetInfo],
    wanted: str | None,
    words: set[str],
    cache: dict,
) -> tuple[SheetInfo | None, RawRows, dict, list[tuple[int, list[Any]]]]:
    """The sheet to read, its raw rows, its reader state and its first rows: the sheet named
    `wanted`, else the visible worksheet whose first rows hold a header with the most known
    words (at least two; the first on a tie: a cover sheet's small "Category | Amount" summary
    loses to the list itself), else the first visible worksheet with any rows (the first
    worksheet if none has)."""
    if wanted:
        target: SheetInfo | None = _named_sheet(sheets, wanted)
        raw, state = _open_sheet(path, fmt, limits, target, cache)
        return target, raw, state, _first_rows(raw)
    worksheets = [s for s in sheets if s.worksheet]
    candidates = [s for s in worksheets if not s.hidden] or worksheets[:1]
    if len(candidates) <= 1:
        target = candidates[0] if candidates else None
        raw, state = _open_sheet(path, fmt, limits, target, cache)
        return target, raw, state, _first_rows(raw)
    needed = min(2, len(words)) if words else 0
    best: tuple[SheetInfo | None, RawRows, dict, list[tuple[int, list[Any]]]] | None = None
    best_score = -1
    spent = 0  # cells of the sheets read so far: each is read whole, so many sheets add up
    for candidate in candidates:
        if spent > limits.max_cells and best is not None:
            break  # the person can still name a later sheet
        raw, state = _open_sheet(path, fmt, limits, candidate, cache)
        rows = _first_rows(raw)
        spent += state["census"].cells if "census" in state else 0
        score = (_known_words(rows, words) if words else 0) if rows else -1
        if score >= 0 and score < needed:
            score = 0  # rows, but no header the hub knows: only if no sheet has one
        if score > best_score:
            if best is not None:
                best[1].close()
            best, best_score = (candidate, raw, state, rows), score
        else:
            raw.close()
    if best is not None and best_score >= 0:
        return best
    if best is not None:
        best[1].close()
    raw, state = _open_sheet(path, fmt, limits, candidates[0], cache)
    return candidates[0], raw, state, _first_rows(raw)


def open_table(
    path: str | os.PathLike,
    *,
    name: str | None = None,
    header_words: Iterable[str] = (),
    limits: Limits | None = None,
    sheet: str | None = None,
) -> Table:
    """Check and open a spreadsheet; TabularError says in plain words why one cannot be read.

    `name` is the file name the person gave (uploads are stored under another name); its ending
    must agree with the content. `header_words` are folded header labels the caller expects; they
    help find the header row below title rows, and, in a workbook, the sheet to read. `sheet`
    names the sheet of an XLSX or ODS workbook to read; without it, the first visible worksheet
    whose first rows hold a header with those words is read (else the first with any rows).
    The returned table says which sheet it read (`sheet`) and which there are (`sheets`).
    """
    limits = limits or Limits()
    path = Path(path)
    try:
        fmt = detect_format(path, name or path.name, limits)
    except OSError as exc:
        raise _fail(_("The file cannot be read.")) from exc
    words = {fold(w) for w in header_words}
    state: dict = {}
    encoding = ""
    sheets: list[SheetInfo] = []
    chosen: SheetInfo | None = None
    raw: Iterator[tuple[int, list[Any]]]
    try:
        if fmt == "csv":
            if sheet:
                raise _fail(
                    _("A CSV file has no sheets, so the sheet '%(sheet)s' cannot be read.")
                    % {"sheet": shorten(sheet, 80)}
                )
            encoding = detect_encoding(path)
            raw = _csv_rows(path, encoding, limits)
            buffered = _first_rows(raw)
        else:
            cache: dict = {"limits": limits}
            sheets = _list_sheets(path, fmt, cache)
            chosen, raw, state, buffered = _choose_sheet(
                path, fmt, limits, sheets, sheet, words, cache
            )
    except UnicodeDecodeError as exc:
        raise _fail(_("The file's text encoding could not be recognized.")) from exc
    worksheet_names = [s.name for s in sheets if s.worksheet]
    if not buffered:
        if chosen is not None and len(worksheet_names) > 1:
            raise _fail(
                _("The sheet '%(sheet)s' has no rows: it is empty.")
                % {"sheet": shorten(chosen.name, 80)}
            )
        raise _fail(_("The file has no rows: it is empty."))
    index = _find_header(buffered, words)
    header_number, header_values = buffered[index]
    rest = buffered[index + 1 :]
    headers = [_header_text(v) for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > limits.max_columns:
        raise _fail(
            _("The header row %(row)s has %(n)s columns; the hub reads at most %(max)s.")
            % {"row": header_number, "n": len(headers), "max": limits.max_columns}
        )
    if not headers:
        raise _fail(_("The file has no header row."))
    for position, header in enumerate(headers):
        if len(header) > 200:
            raise _fail(
                _("The header is too long to be a column name (%(n)s characters).")
                % {"n": len(header)},
                row=header_number,
                column=column_letter(position),
            )
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        if not header:
            continue
        key = fold(header)
        if key in seen:
            raise _fail(
                _(
                    "The header '%(header)s' appears twice (columns %(first)s and %(second)s). "
                    "Give each column its own header."
                )
                % {
                    "header": header,
                    "first": column_letter(seen[key]),
                    "second": column_letter(position),
                },
                row=header_number,
            )
        seen[key] = position
    ignored = set()
    for position, header in enumerate(headers):
        if header:
            continue
        if any(position < len(v) and not _is_blank(v[position]) for _n, v in rest):
            raise _fail(
                _(
                    "Column %(letter)s has values but no header. Give it a header, or delete "
                    "the column."
                )
                % {"letter": column_letter(position)},
                row=header_number,
            )
        ignored.add(position)
    if len(seen) == 0:
        raise _fail(_("The header row has no column names."), row=header_number)
    return Table(
        format=fmt,
        headers=headers,
        header_row=header_number,
        encoding=ENCODING_NAMES.get(encoding, encoding),
        sheet=chosen.name if chosen is not None else "",
        sheets=worksheet_names,
        _raw=raw,
        _buffered=rest,
        _limits=limits,
        _state=state,
        _ignored_columns=ignored,
    )


# -------------------------------------------------------------------------------------------------
# Cell values: numbers and dates as people write them
# -------------------------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell's value cannot be read as the type asked for; the message completes "'x' ..."."""


CURRENCY_SIGNS = "€$£¥₹₽₺₩₪₴₦₱฿₫"
CURRENCY_CODES = (
    "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "UAH",
    "RUB", "INR", "JPY", "CNY", "BRL", "ARS", "MXN", "CAD", "AUD", "NZD", "ZAR", "NGN", "GHS",
    "KES", "ILS", "TRY", "Fr.", "Fr", "zł", "kr.", "kr", "Kč", "Ft", "lei", "лв", "грн", "руб",
    "R$", "US$",
)  # fmt: skip
_CODES = "|".join(re.escape(c) for c in sorted(CURRENCY_CODES, key=len, reverse=True))
_CURRENCY_AROUND = re.compile(
    rf"^(?:{_CODES}|[{CURRENCY_SIGNS}])\s*|\s*(?:{_CODES}|[{CURRENCY_SIGNS}])$", re.IGNORECASE
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
# plain numbers that need no reading (a point followed by three digits might be thousands)
_FAST_NUMBER = re.compile(r"^-?\d{1,15}(?:\.(?:\d{1,2}|\d{4,20}))?$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d{1,3}$")


def parse_number(value: Any, *, decimal_comma: bool | None = None) -> Decimal:
    """A number from a cell: 1234.5, 1.234,56, 1,234.56, 1 234,56, 1'234.56, € 12, (12) or 12-.

    With one separator that is followed by exactly three digits (1.234 or 1,234) the reading is
    ambiguous: `decimal_comma` decides (True: '.' groups thousands; False: ',' does); left None, both
    read as thousands, which is what people mean in money columns.
    """
    if isinstance(value, bool):
        raise ValueProblem(_("is not a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(_("is not a number."))
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueProblem(_("is not a number."))
        return value
    if not isinstance(value, str):
        raise ValueProblem(_("is not a number."))
    if _FAST_NUMBER.match(value):
        return Decimal(value)
    text = value.strip().replace("\u2212", "-")
    if not text:
        raise ValueProblem(_("is empty; a number is needed."))
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    for _round in range(2):
        if not (text[:1].isdigit() and text[-1:].isdigit()):
            text = _CURRENCY_AROUND.sub("", text).strip()
        if text.startswith("-"):
            negative, text = not negative, text[1:].strip()
        elif text.endswith("-"):
            negative, text = not negative, text[:-1].strip()
        elif text.startswith("+"):
            text = text[1:].strip()
    text = _SPACES.sub(" ", text)
    number = _read_digits(text, decimal_comma)
    if number is None:
        raise ValueProblem(_("is not a number."))
    return -number if negative else number


def _grouped(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return (
        1 <= len(parts[0]) <= 3
        and parts[0].isdigit()
        and all(len(p) == 3 and p.isdigit() for p in parts[1:])
    )


def _read_digits(text: str, decimal_comma: bool | None) -> Decimal | None:
    if not text or len(text) > 60:
        return None
    if _SCIENTIFIC.match(text):
        return Decimal(text)
    for sep in (" ", "'", "’"):
        if sep in text:
            match = re.fullmatch(r"(\d{1,3}(?:" + sep + r"\d{3})+)(?:[.,](\d+))?", text)
            if match is None:
                return None
            return Decimal(match[1].replace(sep, "") + ("." + match[2] if match[2] else ""))
    if text.isdecimal():  # not isdigit(): "²" is a digit but not a number
        return Decimal(text)
    dots, commas = text.count("."), text.count(",")
    if not dots and not commas:
        return None
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        integer, fraction = text.rsplit(decimal_sep, 1)
        if decimal_sep in integer or not fraction.isdigit() or not _grouped(integer, group_sep):
            return None
        return Decimal(integer.replace(group_sep, "") + "." + fraction)
    sep = "." if dots else ","
    if (dots or commas) > 1:
        return Decimal(text.replace(sep, "")) if _grouped(text, sep) else None
    integer, fraction = text.split(sep)
    if not fraction.isdigit() or (integer and not integer.isdigit()):
        return None
    integer = integer or "0"
    if len(fraction) == 3 and len(integer) <= 3 and not integer.startswith("0"):
        as_thousands = True if decimal_comma is None else (sep == ".") == decimal_comma
        if as_thousands:
            return Decimal(integer + fraction)
    return Decimal(integer + "." + fraction)


MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch: full names and abbreviations
    1: "january jan januar janner jän janvier janv enero ene gennaio gen janeiro januari",
    2: "february feb februar fevrier fevr fev febrero febbraio fevereiro februari",
    3: "march mar marz maerz mrz mars marzo marco maart mrt",
    4: "april apr avril avr abril aprile abr",
    5: "may mai mayo maggio mag maio mei",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho",
    8: "august aug aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez decembre diciembre dic dicembre dezembro",
}
MONTH_NAMES = {word: month for month, words in MONTHS.items() for word in words.split()}
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def from_serial(serial: float) -> datetime.date:
    """A spreadsheet serial day number (1900 system, as Excel and LibreOffice write it) as a date."""
    if not 1 <= serial < 2958466:
        raise ValueProblem(_("is not a date."))
    days = int(serial)
    if days < 61:  # Excel counts a 29 February 1900 that never was
        days += 1
    return EXCEL_EPOCH + datetime.timedelta(days=days)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900
    return year


def parse_date(value: Any, *, day_first: bool = True) -> datetime.date:
    """A date from a cell: a real date, a serial number, 2024-03-01, 01.03.2024, 1/3/2024 (day
    first unless `day_first` is False; a part over 12 settles it), 1 March 2024, March 1, 2024."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(_("is not a date."))
    if isinstance(value, int | float | Decimal):
        return from_serial(float(value))
    if not isinstance(value, str):
        raise ValueProblem(_("is not a date."))
    text = " ".join(value.strip().split())
    if not text:
        raise ValueProblem(_("is empty; a date is needed."))
    try:
        if match := _ISO.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            a, sep, b, year = int(match[1]), match[2], int(match[3]), _year(match[4])
            if sep == "." or a > 12:
                day, month = a, b
            elif b > 12:
                day, month = b, a
            else:
                day, month = (a, b) if day_first else (b, a)
            return datetime.date(year, month, day)
        if _SERIAL_TEXT.match(text):
            return from_serial(float(text))
        return _date_with_month_name(text)
    except ValueError as exc:
        if isinstance(exc, ValueProblem):
            raise
        raise ValueProblem(_("is not a date.")) from exc


def _date_with_month_name(text: str) -> datetime.date:
    words = fold(text.replace("de ", " ")).split()
    words = [w for w in words if w not in ("de", "del", "of", "the")]
    day = month = year = None
    for word in words:
        stripped = re.sub(r"(st|nd|rd|th|er|e|o|a)$", "", word) if word[:1].isdigit() else word
        if stripped.isdigit():
            number = int(stripped)
            if len(stripped) == 4 and year is None:
                year = number
            elif day is None and 1 <= number <= 31 and len(stripped) <= 2:
                day = number
            elif year is None and len(stripped) == 2:
                year = _year(stripped)
            else:
                raise ValueProblem(_("is not a date."))
        elif word in MONTH_NAMES and month is None:
            month = MONTH_NAMES[word]
        else:
            raise ValueProblem(_("is not a date."))
    if day is None or month is None or year is None:
        raise ValueProblem(_("is not a date."))
    return datetime.date(year, month, day)
