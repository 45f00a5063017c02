"""ODS workbooks: verified part by part, counted (census), then read whole by calamine; merged
cells found in content.xml."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from hub.core.tabular.census import Census, check_census, ods_census
from hub.core.tabular.files import Limits, _fail
from hub.core.tabular.workbook import RawRows, SheetInfo, _Merger


def _ods_sheets(book: Any) -> list[SheetInfo]:
    import python_calamine

    hidden = (python_calamine.SheetVisibleEnum.Hidden, python_calamine.SheetVisibleEnum.VeryHidden)
    return [
        SheetInfo(name=meta.name, index=index, hidden=meta.visible in hidden)
        for index, meta in enumerate(book.sheets_metadata)
    ]


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
    """Merged ranges of one table (default: the first) of an ODS file: calamine reports them for
    XLSX only (python-calamine 0.9.1's `merged_cell_ranges` is None for an ODS sheet), and
    openpyxl reads no ODS. Parsed through defusedxml; verify_ods refuses entity declarations
    first, and this pass runs only when verify_ods saw a merged cell."""
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
