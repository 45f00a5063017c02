"""XLSX workbooks: their sheets listed, each sheet counted (census), then read by calamine or,
when large, streamed by openpyxl; merged cells and formulas without a saved value found."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from hub.core.tabular.census import Census, check_census, check_shared_strings, xlsx_census
from hub.core.tabular.files import Limits, TabularError, _fail
from hub.core.tabular.workbook import RawRows, SheetInfo, _Merger

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


def _elements(archive: zipfile.ZipFile, member: str, local: str) -> list[dict[str, str]]:
    """The attributes of each element named `local` (any namespace) in a small index part,
    parsed through defusedxml (no DTD, no entities). A part cut short or otherwise malformed
    gives what it held before the damage: the readers name the damage when a sheet is read."""
    found: list[dict[str, str]] = []
    if member not in archive.namelist():
        return found
    with archive.open(member) as stream:
        try:
            for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
                if element.tag == local or element.tag.endswith("}" + local):
                    found.append(dict(element.attrib))
                element.clear()
        except DefusedXmlException as exc:
            raise _fail(_("The XLSX file contains XML the hub does not read.")) from exc
        except ParseError:
            return found  # what the part held before the damage (see above)
    return found


def _local(attrs: dict[str, str], name: str) -> str:
    """An attribute by its local name, in whatever namespace the workbook writes it (r:id)."""
    if name in attrs:
        return attrs[name]
    return next((v for k, v in attrs.items() if k.endswith("}" + name)), "")


def xlsx_sheets(archive: zipfile.ZipFile) -> list[SheetInfo]:
    """The sheets a workbook lists, in its order, each with the part that holds it. Read from
    the workbook's small index parts, without opening any sheet.

    Why not calamine's `sheets_metadata` (or openpyxl): the census must count a sheet's cells
    before any reader loads it, so it needs the name of the part that holds the sheet, which
    neither library gives; calamine's open also reads the whole table of shared texts, which
    waits for check_shared_strings; and importing openpyxl adds 15 MB to a web process. Parsing
    the two index parts here takes about a millisecond (sachspenden_2024.xlsx: 0.9 ms).
    """
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return []
    targets: dict[str, tuple[str, str]] = {}
    for attrs in _elements(archive, "xl/_rels/workbook.xml.rels", "Relationship"):
        if "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = (attrs["Target"], attrs.get("Type", ""))
    sheets: list[SheetInfo] = []
    for attrs in _elements(archive, "xl/workbook.xml", "sheet"):
        target, kind = targets.get(_local(attrs, "id"), ("", ""))
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


def scan_xlsx_sheet(
    path: Path, limits: Limits, member: str | None = None, *, merged: bool = True
) -> tuple[list[tuple[int, int, int, int]], set]:
    """Merged ranges (row1, col1, row2, col2; unless `merged` is False) and the cells holding
    formulas without a saved value, in the sheet held by `member` (default: the first worksheet).

    Neither library says which formulas have no saved value (calamine and openpyxl give None,
    as for an empty cell), and openpyxl's read-only mode, which keeps memory flat, does not
    report merged cells (calamine does: see _calamine_merges); both sit in the sheet's XML, so
    one streamed pass over the decompressed bytes finds them. The pass matches byte patterns and
    builds no tree, so memory stays flat whatever the sheet's size; measured on a sheet of 100,000
    rows, 0.6 s against calamine's 2.5 s for reading it.
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
                if merged and b"mergeCell" in block:
                    for first, last in _MERGE.findall(block):
                        if len(merges) >= limits.max_merges:
                            break
                        r1, c1 = _ref(first)
                        r2, c2 = _ref(last)
                        merges.append((r1, c1, r2, c2))
            for match in _UNCACHED_FORMULA.finditer(carry):
                uncached.add(_ref(match.group(1)))
            for first, last in _MERGE.findall(carry) if merged else ():
                r1, c1 = _ref(first)
                r2, c2 = _ref(last)
                merges.append((r1, c1, r2, c2))
    return merges, uncached


# Sheets up to this much XML are read with calamine (Rust), about 20 times faster than openpyxl;
# it holds the whole sheet, about as many bytes as its XML, so larger sheets stream with openpyxl.
CALAMINE_SHEET_BYTES = 64 * 1024 * 1024


def _sheet_census(path: Path, limits: Limits, sheet: SheetInfo | None, exact: bool) -> Census:
    """The census of a worksheet (default: the first), checked: see tabular.census."""
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


def _calamine_merges(found: Any, limits: Limits) -> list[tuple[int, int, int, int]]:
    """The merged ranges calamine read with the sheet, as (row1, col1, row2, col2), rows 1-based."""
    ranges = found.merged_cell_ranges or []
    return [(r1 + 1, c1, r2 + 1, c2) for (r1, c1), (r2, c2) in ranges[: limits.max_merges]]


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
    found = None if census.empty else _calamine_sheet(path, sheet, cache)
    member = sheet.member if sheet else None
    merges, uncached = scan_xlsx_sheet(path, limits, member, merged=found is None)
    if found is not None:
        merges = _calamine_merges(found, limits)
    state["uncached"] = uncached
    merger = _Merger(merges, limits)
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
