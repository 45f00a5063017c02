"""Reading spreadsheets people actually write: CSV, XLSX and ODS, defended, streamed, domain-free.

`open_table(path, name=...)` checks the file before any parser sees it (size, what its bytes say it
is, macros, zip bombs), chooses the sheet of a workbook (the one named, else the first whose rows
hold a recognisable header), finds the header row (title rows above it are common), and returns a `Table`
whose `rows()` streams one `Row` per data row, skipping blank rows and total rows. Every problem is
a `Problem` that names the row as the spreadsheet shows it (1-based, counting title rows) and the
column by its header, so a person can find it.

The parsers for what people type into cells (`parse_number`, `parse_date`) live here too, because
every importer needs them and none of them is about a domain: a caller that allows words around a
number (a currency, a unit) passes them (`number_affixes`).

The package by concern, each module importing only those listed before it:
- `files`: checks before parsing (name, size, format, zip bombs, macros), `Limits`, `Problem`,
  `TabularError`;
- `values`: numbers, dates, names folded for comparing, total rows, formulas;
- `text`: CSV encoding and delimiter sniffing, CSV rows;
- `census`: the cells each sheet of a workbook really holds, counted before any reader runs;
- `workbook`: what XLSX and ODS share (`SheetInfo`, merged cells filled in);
- `xlsx`, `ods`: reading each workbook format;
- `wikitext`: the wikitables of a wiki page's wikitext (`read_tables`);
- `table`: `open_table`, `Table`, header and sheet detection, `list_sheets`, `count_rows`, and
  `as_table` (a wiki table as the `Table` a sheet gives; a stored page, `.wikitext`, is opened
  like a workbook whose sheets are its tables).

Import the public names from here (`from hub.core.tabular import open_table`); reach into a
module only for what it keeps to itself (tests that lower `xlsx.CALAMINE_SHEET_BYTES`).
"""

from hub.core.tabular import census, files, ods, table, text, values, wikitext, workbook, xlsx
from hub.core.tabular.files import (
    EXTENSIONS,
    FORMATS,
    KIND_NAMES,
    MACRO_EXTENSIONS,
    Limits,
    Problem,
    TabularError,
    check_zip,
    column_letter,
    detect_format,
    shorten,
    sniff_kind,
)
from hub.core.tabular.table import (
    HEADER_SEARCH_ROWS,
    Row,
    SkippedRow,
    Table,
    as_table,
    count_rows,
    list_sheets,
    open_table,
    sheet_names,
)
from hub.core.tabular.text import DELIMITERS, ENCODING_NAMES, detect_delimiter, detect_encoding
from hub.core.tabular.values import (
    EXCEL_EPOCH,
    MONTH_NAMES,
    MONTHS,
    TOTAL_WORDS,
    ValueProblem,
    fold,
    from_serial,
    looks_like_formula,
    looks_like_total,
    name_key,
    number_affixes,
    parse_date,
    parse_number,
)
from hub.core.tabular.workbook import RawRows, SheetInfo

__all__ = [
    "DELIMITERS",
    "ENCODING_NAMES",
    "EXCEL_EPOCH",
    "EXTENSIONS",
    "FORMATS",
    "HEADER_SEARCH_ROWS",
    "KIND_NAMES",
    "MACRO_EXTENSIONS",
    "MONTHS",
    "MONTH_NAMES",
    "TOTAL_WORDS",
    "Limits",
    "Problem",
    "RawRows",
    "Row",
    "SheetInfo",
    "SkippedRow",
    "Table",
    "TabularError",
    "ValueProblem",
    "as_table",
    "census",
    "check_zip",
    "column_letter",
    "count_rows",
    "detect_delimiter",
    "detect_encoding",
    "detect_format",
    "files",
    "fold",
    "from_serial",
    "list_sheets",
    "looks_like_formula",
    "looks_like_total",
    "name_key",
    "number_affixes",
    "ods",
    "open_table",
    "parse_date",
    "parse_number",
    "sheet_names",
    "shorten",
    "sniff_kind",
    "table",
    "text",
    "values",
    "wikitext",
    "workbook",
    "xlsx",
]
