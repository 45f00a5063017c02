"""How many cells a workbook's sheets really hold, counted before any library reads them.

A library asked for a sheet allocates the whole range from its first to its last filled cell
(calamine: about 32 bytes a cell for XLSX, 60 for ODS), whatever the sheet declares or holds in
between: two cells, A2 and XFD1048576, make a range of 17 billion cells, and an ODS row of one
cell repeated 16,384 times over 1,048,576 rows (`table:number-columns-repeated`,
`number-rows-repeated`) as many. A `<dimension>` element is only a claim and is not trusted. So
`xlsx_census` and `ods_census` stream the sheet's XML once and find the range its filled cells
span, and `check_census` refuses a sheet whose range exceeds `Limits.max_cells`, naming the sheet,
the number and the farthest cell. The same pass counts the rows that hold cells, which decides
whether an import runs in the request or in the background worker.

XLSX sheets are scanned with regular expressions (a fifth of the time calamine takes to read
them); a sheet whose cells do not all carry a plain reference (`r="B7"`), or whose XML is not
UTF-8, is parsed instead with defusedxml, exactly, as is ODS content.
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from defusedxml.common import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from django.utils.translation import gettext as _

from hub.core.tabular.files import Limits, _fail, column_letter, shorten

# Excel's own sheet: 1,048,576 rows of 16,384 columns (A to XFD)
EXCEL_COLUMNS = 16_384


@dataclass
class Census:
    """The cells of one sheet: the range its filled cells span (rows 1-based, columns 0-based),
    how many rows hold any, and the most cells one row lists (filled or not)."""

    name: str = ""
    first_row: int = 0
    last_row: int = 0
    first_col: int = 0
    last_col: int = -1
    rows: int = 0
    widest_row: int = 0
    exact: bool = False  # parsed (not scanned): widest_row is known

    @property
    def empty(self) -> bool:
        return self.last_row == 0

    @property
    def cells(self) -> int:
        if self.empty:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        """A filled cell at (row, col), repeated over `rows` rows and `cols` columns."""
        if self.empty:
            self.first_row, self.first_col = row, col
        self.first_row = min(self.first_row, row)
        self.first_col = min(self.first_col, col)
        self.last_row = max(self.last_row, row + rows - 1)
        self.last_col = max(self.last_col, col + cols - 1)


def cell_name(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def check_census(census: Census, limits: Limits) -> None:
    """Refuse a sheet whose filled cells span more than the hub reads, or a row longer than
    Excel's; the message names the sheet, the number and the farthest cell."""
    if census.cells > limits.max_cells:
        first = cell_name(census.first_row, census.first_col)
        last = cell_name(census.last_row, census.last_col)
        raise _fail(
            _(
                "The sheet '%(sheet)s' spans %(cells)s cells (%(first)s to %(last)s, from its "
                "first to its last filled cell); the hub reads at most %(max)s. Delete what lies "
                "far outside the list, or copy the list into a new sheet."
            )
            % {
                "sheet": shorten(census.name, 80),
                "cells": f"{census.cells:,}",
                "first": first,
                "last": last,
                "max": f"{limits.max_cells:,}",
            }
        )
    if census.last_col >= EXCEL_COLUMNS:
        raise _fail(
            _(
                "The sheet '%(sheet)s' has a cell in column %(column)s; a spreadsheet has at most "
                "%(max)s columns (A to XFD)."
            )
            % {
                "sheet": shorten(census.name, 80),
                "column": cell_name(census.last_row, census.last_col).rstrip("0123456789"),
                "max": f"{EXCEL_COLUMNS:,}",
            }
        )
    if census.widest_row > EXCEL_COLUMNS:
        raise _fail(
            _(
                "The sheet '%(sheet)s' has a row of %(cells)s cells; a spreadsheet has at most "
                "%(max)s columns."
            )
            % {
                "sheet": shorten(census.name, 80),
                "cells": f"{census.widest_row:,}",
                "max": f"{EXCEL_COLUMNS:,}",
            }
        )


# -------------------------------------------------------------------------------------------------
# XLSX
# -------------------------------------------------------------------------------------------------

# A cell tag as every spreadsheet application writes it: the reference first, in double quotes
_CELL_WITH_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
# A cell tag spelt otherwise (no reference first, a namespace prefix): the parser counts instead
_ODD_CELL = re.compile(rb"<c[>/\s]|:c[>/\s]")
# A second attribute named r in a cell tag (calamine reads the last, this scan the first)
_SECOND_R = re.compile(rb"""<c r="[^"]*"(?:[^<>"']|"[^"]*"|'[^']*')*?\sr\s*=""")


def _column_index(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + (ch - 64)
    return col - 1


def _utf8(head: bytes) -> bool:
    """Whether the XML is in an encoding whose tags are ASCII bytes (not UTF-16)."""
    if b"\x00" in head[:200] or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declaration = head.lstrip(b"\xef\xbb\xbf")[:200]
    match = re.match(rb"<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)", declaration)
    return match is None or match.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _scan_xlsx_fast(stream: IO[bytes], census: Census) -> bool:
    """Fill `census` from the cell references (every cell, filled or not, counts); False if a
    cell tag is spelt otherwise than `<c r="B7"` or some tag has a second `r`, so the parser
    must count instead."""
    carry = b""
    first = True
    while chunk := stream.read(1 << 20):
        if first and (not _utf8(chunk) or b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk):
            return False  # the parser reads other encodings, and refuses DTDs
        first = False
        data = carry + chunk
        cut = data.rfind(b"<")
        cut = cut if cut > len(data) - 4096 else len(data)
        block, carry = data[:cut], data[cut:]
        if not _scan_block(block, census):
            return False
    return _scan_block(carry, census)


def _scan_block(block: bytes, census: Census) -> bool:
    """One block of a sheet's XML; bytes.count decides most blocks, the slower regular
    expressions look only at a block where it cannot (the sheet's first and last, with <cols>,
    <pageMargins header=...>)."""
    found = _CELL_WITH_REF.findall(block)
    cells = block.count(b"<c ")
    if len(found) != cells:
        return False
    if block.count(b"<c") != cells or b":c" in block:
        odd = _ODD_CELL.findall(block)
        if len(odd) != cells:
            return False
    row_refs = block.count(b'<row r="')
    if block.count(b"r=") != len(found) + row_refs and _SECOND_R.search(block):
        return False
    census.rows += block.count(b"<row ") + block.count(b"<row>")
    if found:
        letters, digits = zip(*found, strict=True)
        numbers = set(map(int, set(digits)))
        columns = [_column_index(c) for c in set(letters)]
        census.add(min(numbers), min(columns))
        census.add(max(numbers), max(columns))
    return True


class _XlsxCounter:
    """Counts as a spreadsheet reads the XML (a parser target): a row without `r` follows the one
    before, a cell without `r` the cell before; every cell counts, filled or not. Millions of
    cells pass through `start`, so it keeps the range in plain attributes (see `census`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.row = 0
        self.col = -1
        self.in_row = 0  # cells listed by the current row
        self.rows = self.widest = 0
        self.first_row = self.first_col = 1 << 40
        self.last_row = 0
        self.last_col = -1

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag[-2:] == "}c" or tag == "c":
            match = _REFERENCE.fullmatch(attrib.get("r", ""))
            if match is None:
                self.col += 1
            else:
                self.row, self.col = int(match.group(2)), _letters_index(match.group(1))
            self.in_row += 1
            row, col = self.row, self.col
            if row > self.last_row:
                self.last_row = row
            if row < self.first_row:
                self.first_row = row
            if col > self.last_col:
                self.last_col = col
            if col < self.first_col:
                self.first_col = col
        elif tag[-4:] == "}row" or tag == "row":
            self.row = _number(attrib.get("r"), self.row + 1)
            self.widest = max(self.widest, self.in_row)
            self.col, self.in_row = -1, 0
            self.rows += 1

    def census(self) -> Census:
        census = Census(name=self.name, rows=self.rows, exact=True)
        census.widest_row = max(self.widest, self.in_row)
        if self.last_row:
            census.add(self.first_row, self.first_col)
            census.add(self.last_row, self.last_col)
        return census


@functools.lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    return _column_index(letters.upper().encode("ascii"))


def _forbid(error: type[Exception]) -> Any:
    def handler(*args: Any) -> None:
        raise error(*args[:3])

    return handler


def _parse(stream: IO[bytes], target: Any) -> None:
    """Feed XML to `target`'s start (and end) methods through expat, with defusedxml's refusals
    (no DTD, no entity declarations, no external references) and no tree: a sheet's cells are
    millions of elements, too many for ElementTree's Python parser."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _forbid(DTDForbidden)
    parser.EntityDeclHandler = _forbid(EntitiesForbidden)
    parser.UnparsedEntityDeclHandler = _forbid(EntitiesForbidden)
    parser.ExternalEntityRefHandler = _forbid(ExternalReferenceForbidden)
    parser.StartElementHandler = target.start
    if hasattr(target, "end"):
        parser.EndElementHandler = target.end
    while chunk := stream.read(1 << 20):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.strip().isdigit() else default


_REFERENCE = re.compile(r"\s*([A-Za-z]{1,7})([0-9]{1,12})\s*")


def xlsx_census(archive: zipfile.ZipFile, member: str, name: str, *, exact: bool = False) -> Census:
    """The cells of the sheet held by `member`; `exact` parses the XML (and counts the cells of
    each row, which openpyxl holds at once) instead of scanning it."""
    census = Census(name=name)
    if member not in archive.namelist():
        return census
    if not exact:
        with archive.open(member) as stream:
            if _scan_xlsx_fast(stream, census):
                return census
    counter = _XlsxCounter(name)
    with archive.open(member) as stream:
        try:
            _parse(stream, counter)
        except DefusedXmlException as exc:
            raise _fail(_("The XLSX file contains XML the hub does not read.")) from exc
        except Exception as exc:  # XML syntax errors, a second attribute of the same name
            raise _fail(_("The XLSX file cannot be read: it looks damaged.")) from exc
    return counter.census()


_SHARED_TEXT = re.compile(rb"[<:]si[\s/>]")


def check_shared_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose table of shared texts holds more entries than the hub reads
    cells: each reader keeps the whole table in memory. Every part is counted, as readers find
    the table by its content type or relationship, not by its usual name."""
    count = 0
    for info in archive.infolist():
        carry = b""
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                data = carry + chunk
                count += len(_SHARED_TEXT.findall(data, 0, max(len(data) - 8, 0)))
                carry = data[max(len(data) - 8, 0) :]
        count += len(_SHARED_TEXT.findall(carry))
    if count > limits.max_cells:
        raise _fail(
            _("The workbook holds %(n)s different texts; the hub reads at most %(max)s.")
            % {"n": f"{count:,}", "max": f"{limits.max_cells:,}"}
        )


# -------------------------------------------------------------------------------------------------
# ODS
# -------------------------------------------------------------------------------------------------

# names as expat gives them (namespace, "}", local name)
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
# a repeat count over this is refused before it is multiplied out
_MAX_REPEAT = 1 << 24


def _repeat(attrib: dict[str, str], attribute: str) -> int:
    value = attrib.get(_TABLE + attribute, "1")
    number = int(value) if value.strip().isdigit() else 1
    return max(1, min(number, _MAX_REPEAT))


class _OdsCounter:
    """Tables of one content.xml, counted event by event (see ods_census)."""

    def __init__(self) -> None:
        self.tables: list[Census] = []
        self.depth = 0  # nesting of tables: a table inside a cell belongs to its outer one
        self.row = 0
        self.row_repeat = 1
        self.row_filled = False
        self.col = 0
        self.cell: tuple[int, int, bool] | None = None  # column, repeat, filled

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.cell is not None:  # anything inside a cell (text, a note) fills it
            self.cell = (self.cell[0], self.cell[1], True)
        if tag == _TABLE + "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append(Census(name=attrib.get(_TABLE + "name", ""), exact=True))
                self.row = 0
            return
        if self.depth != 1 or self.cell is not None:
            return
        if tag == _TABLE + "table-row":
            self.row_repeat = _repeat(attrib, "number-rows-repeated")
            self.row_filled = False
            self.col = 0
        elif tag in _CELLS:
            repeat = _repeat(attrib, "number-columns-repeated")
            filled = _OFFICE + "value-type" in attrib
            self.cell = (self.col, repeat, filled)

    def end(self, tag: str) -> None:
        if tag == _TABLE + "table":
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag in _CELLS and self.cell is not None:
            col, repeat, filled = self.cell
            self.cell = None
            if filled:
                self.tables[-1].add(self.row + 1, col, self.row_repeat, repeat)
                self.row_filled = True
            self.col += repeat
        elif tag == _TABLE + "table-row":
            census = self.tables[-1]
            if self.row_filled:
                census.rows += self.row_repeat
            self.row += self.row_repeat


def ods_census(stream: IO[bytes]) -> list[Census]:
    """The cells of each table of an ODS file's content.xml, in its order. Repeated cells and
    rows count as many times as they are repeated when they hold anything; empty ones (the
    padding LibreOffice writes to the sheet's edge) do not."""
    counter = _OdsCounter()
    _parse(stream, counter)
    return counter.tables
