"""The table: a file checked and opened, its sheet chosen, its header row found, its data rows
streamed without blank and total rows, each cell checked."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hub.core.tabular.census import ods_census, xlsx_census
from hub.core.tabular.files import Limits, Problem, _fail, column_letter, detect_format, shorten
from hub.core.tabular.ods import _ods_book, _ods_rows, _ods_sheets
from hub.core.tabular.text import ENCODING_NAMES, _csv_rows, detect_encoding
from hub.core.tabular.values import fold, looks_like_total
from hub.core.tabular.wikitext import WikiTable, read_tables
from hub.core.tabular.workbook import RawRows, SheetInfo
from hub.core.tabular.xlsx import _xlsx_rows, xlsx_sheets

HEADER_SEARCH_ROWS = 20


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


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
    # The header row was guessed (a spreadsheet's, not a wiki table's header cells), and the
    # first row of the file as text (its number, its cells): an import that knows none of the
    # guessed headers says what the file begins with.
    header_guessed: bool = False
    first_row: tuple[int, list[str]] = (0, [])

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


@lru_cache(maxsize=4)
def _page_tables(path: str, mtime_ns: int, size: int, limits: Limits) -> tuple[WikiTable, ...]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            wikitext = handle.read()
    except UnicodeDecodeError as exc:
        raise _fail(_("The wiki page's text is not UTF-8, so it cannot be read.")) from exc
    return tuple(read_tables(wikitext, limits=limits))


def _wikitables(path: Path, limits: Limits) -> tuple[WikiTable, ...]:
    """The tables of a stored wiki page (a `.wikitext` file), parsed once per file and process
    while the file stays as it is: opening, counting and listing each need them, and a large
    page takes seconds to parse."""
    stat = path.stat()
    return _page_tables(str(path), stat.st_mtime_ns, stat.st_size, limits)


def _wiki_data_rows(table: WikiTable) -> RawRows:
    for index, row in enumerate(table.rows):
        yield table.row_number(index), [text or None for text in row]


def _wikitext_rows(table: WikiTable) -> RawRows:
    """A wiki table's header row and data rows, as a sheet's raw rows (for choosing the table)."""
    yield table.header_row, list(table.headers)
    yield from _wiki_data_rows(table)


def _list_sheets(path: Path, fmt: str, cache: dict) -> list[SheetInfo]:
    if fmt == "wikitext":
        tables = _wikitables(path, cache["limits"])
        return [SheetInfo(name=table.name, index=i) for i, table in enumerate(tables)]
    if fmt == "xlsx":
        with zipfile.ZipFile(path) as archive:
            return xlsx_sheets(archive)
    if fmt == "ods":
        return _ods_sheets(_ods_book(path, cache))
    return []


def list_sheets(
    path: str | os.PathLike, *, name: str | None = None, limits: Limits | None = None
) -> list[SheetInfo]:
    """The sheets of an XLSX or ODS workbook in its order (none for CSV; a stored wiki page's
    tables, named as `WikiTable.name`), after the same checks as `open_table`. XLSX sheets are
    listed from the workbook's index without reading any sheet; for ODS, calamine parses the
    file (it has no separate index)."""
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
    none); the data rows of a stored wiki page's table (`sheet` its name, default the first).
    Call it on a file open_table accepted."""
    path = Path(path)
    if fmt == "wikitext":
        wiki_tables = _wikitables(path, Limits())
        chosen = [t for t in wiki_tables if t.name == sheet] or wiki_tables[:1]
        return len(chosen[0].rows) if chosen else 0
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


def _named_sheet(sheets: list[SheetInfo], wanted: str, fmt: str = "") -> SheetInfo:
    """The sheet named `wanted` (exactly, else ignoring case and spacing)."""
    found = [s for s in sheets if s.name == wanted]
    if not found:
        loose = " ".join(wanted.split()).casefold()
        found = [s for s in sheets if " ".join(s.name.split()).casefold() == loose]
    if len(found) != 1 and fmt == "wikitext":
        raise _fail(
            _("The wiki page has no table named '%(table)s'. Its tables: %(names)s.")
            % {"table": shorten(wanted, 80), "names": _quoted_names(sheets)}
        )
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
    if fmt == "wikitext":
        return _wikitext_rows(_wikitables(path, limits)[sheet.index if sheet else 0]), state
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
        target: SheetInfo | None = _named_sheet(sheets, wanted, fmt)
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


def refuse_repeated_headers(headers: Sequence[str], header_row: int) -> None:
    """TabularError when two columns of a header row carry the same name (as folded): a
    spreadsheet's and a wiki table's header alike."""
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
                row=header_row,
            )
        seen[key] = position


def as_table(
    table: WikiTable, *, sheets: Sequence[str] = (), limits: Limits | None = None
) -> Table:
    """`table` as the `Table` an import reads a spreadsheet sheet through (format "wiki"): its
    header, its data rows numbered as written, the same checks on every row (a value beyond the
    header, a cell too long) and the same total rows left out. `sheets` names the page's tables
    (`WikiTable.name`), as a workbook's sheets. Raises TabularError, as `open_table` does, for a
    table without a header or with a header twice."""
    limits = limits or Limits()
    headers = list(table.headers)
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise _fail(_("The header row has no column names."), row=table.header_row)
    refuse_repeated_headers(headers, table.header_row)
    return Table(
        format="wiki",
        headers=headers,
        header_row=table.header_row,
        sheet=table.name,
        sheets=list(sheets) or [table.name],
        _raw=_wiki_data_rows(table),
        _limits=limits,
        _ignored_columns={i for i, header in enumerate(headers) if not header},
    )


def _wikitext_table(
    path: Path, name: str, limits: Limits, wanted: str | None, words: set[str]
) -> Table:
    """The table of a stored wiki page named `wanted`, else the one chosen as a workbook's sheet
    is (`_choose_sheet`), as `as_table` gives it: its header is the wiki's header cells."""
    cache: dict = {"limits": limits}
    sheets = _list_sheets(path, "wikitext", cache)
    if not sheets:
        title = name[: len(name) - len(Path(name).suffix)]
        raise _fail(_("The wiki page '%(page)s' has no table.") % {"page": shorten(title, 80)})
    chosen, raw, _state, _first = _choose_sheet(
        path, "wikitext", limits, sheets, wanted, words, cache
    )
    raw.close()
    index = chosen.index if chosen is not None else 0
    table = as_table(
        _wikitables(path, limits)[index], sheets=[s.name for s in sheets], limits=limits
    )
    table.format = "wikitext"  # a stored file, which count_rows and the import read again
    return table


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
    names the sheet of an XLSX or ODS workbook (or the table of a stored wiki page, a `.wikitext`
    file) to read; without it, the first visible worksheet whose first rows hold a header with
    those words is read (else the first with any rows).
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
    if fmt == "wikitext":
        return _wikitext_table(path, name or path.name, limits, sheet, words)
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
    refuse_repeated_headers(headers, header_number)
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
    if not any(headers):
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
        header_guessed=True,
        first_row=(buffered[0][0], [_header_text(v) for v in buffered[0][1]]),
    )
