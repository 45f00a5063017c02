"""Streamed exports of any list as CSV, XLSX and ODS: the writers every list page's download uses.

Use it from an app's `exporting.py`: declare the columns (`Column` for values of the record and
its foreign keys, `ListColumn` for several related values in one cell), then answer the download
with `export_response(queryset, columns, fmt, name)` on the queryset the page lists (already
scoped to the viewer and filtered). Nothing here knows a domain.

Memory stays flat however many rows there are: rows come from `hub.core.streaming.stream_values`
as plain tuples (values_list; unbuffered on MariaDB too), CSV is written line by line, XLSX and ODS by writing their zip and XML
directly into the response as they are produced (XLSX with inline strings).

Every text cell goes through `hub.core.formulas.neutralize` (CSV injection: see there); numbers
and dates are written as typed cells, never as text.
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from hub.core.formulas import neutralize, unneutralize
from hub.core.streaming import stream_values
from hub.core.tabular import column_letter

__all__ = ["neutralize", "unneutralize"]  # the exports' import and tests use them from here
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Column:
    """A column read from the record itself (and its foreign keys): one value per record."""

    header: str
    lookups: tuple[str, ...]  # values_list lookups this column reads
    value: Callable[..., Any] | None = None  # from the lookups' values; default: the first


@dataclass(frozen=True)
class ListColumn:
    """A column of several related values in one cell (participants, themes, links...).

    `values_for(pks)` answers for a chunk of records at once, with one query, a mapping
    {pk: cell value}; a record missing from it gets an empty cell. So an export's query count
    grows with the number of chunks (one per CHUNK_ROWS records), never with the rows.
    """

    header: str
    values_for: Callable[[list[Any]], dict[Any, Any]]


def join_items(items: Iterable[str]) -> str:
    """Several values in one cell, separated by "; " (a ";" inside a value is doubled, ";;"), so
    `split_items` gives exactly the values back; empty values are left out."""
    return "; ".join(item.replace(";", ";;") for item in items if item)


def split_items(cell: str | None) -> list[str]:
    """The values of a cell written by `join_items` (or typed as "a; b"): a single ";" separates,
    ";;" is a ";" inside a value; each value is stripped and empty ones are left out."""
    items: list[str] = []
    current: list[str] = []
    text = cell or ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == ";" and text[index + 1 : index + 2] == ";":
            current.append(";")
            index += 2
            continue
        if char == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def rows_of(queryset, columns: Sequence[Column | ListColumn]) -> Iterator[list[Any]]:
    """Typed cell values, one list per record, reading the queryset in chunks."""
    plain = [column for column in columns if isinstance(column, Column)]
    has_lists = len(plain) < len(columns)
    # With list columns the records' pk comes first: each chunk's lists are read by it.
    lookups: list[str] = ["pk"] if has_lists else []
    for column in plain:
        lookups.extend(lookup for lookup in column.lookups if lookup not in lookups)
    records = stream_values(queryset.values_list(*lookups), CHUNK_ROWS)
    if has_lists:
        yield from _rows_with_lists(records, lookups, columns)
    else:
        yield from _plain_rows(records, lookups, plain)


def _cell_reader(column: Column, lookups: list[str]) -> Callable[[tuple], Any]:
    where = [lookups.index(lookup) for lookup in column.lookups]
    if column.value is None:
        first = where[0]
        return lambda record: record[first]
    value = column.value
    return lambda record: value(*(record[i] for i in where))


def _plain_rows(records, lookups: list[str], columns: list[Column]) -> Iterator[list[Any]]:
    positions = [[lookups.index(lookup) for lookup in column.lookups] for column in columns]
    for record in records:
        yield [
            column.value(*(record[i] for i in where)) if column.value else record[where[0]]
            for column, where in zip(columns, positions, strict=True)
        ]


def _rows_with_lists(records, lookups: list[str], columns) -> Iterator[list[Any]]:
    readers = [
        _cell_reader(column, lookups) if isinstance(column, Column) else None for column in columns
    ]
    chunk: list[tuple] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= CHUNK_ROWS:
            yield from _chunk_rows(chunk, columns, readers)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, columns, readers)


def _chunk_rows(chunk: list[tuple], columns, readers) -> Iterator[list[Any]]:
    pks = [record[0] for record in chunk]
    lists = {
        index: column.values_for(pks)
        for index, column in enumerate(columns)
        if isinstance(column, ListColumn)
    }
    for record in chunk:
        yield [
            reader(record) if reader is not None else lists[index].get(record[0], "")
            for index, reader in enumerate(readers)
        ]


def _text(value: Any) -> str:
    """A cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    return neutralize(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 with a BOM (so spreadsheets read accents right), comma separated, CRLF lines."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow(header).encode()
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow([_text(v) for v in row]))
        if len(lines) >= 500:
            yield "".join(lines).encode()
            lines.clear()
    if lines:
        yield "".join(lines).encode()


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    ),
    # style 1: dates as yyyy-mm-dd
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'
)
XLSX_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
XLSX_SHEET_TAIL = "</sheetData></worksheet>"
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _xlsx_cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{format(value, "f")}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        midnight = datetime.datetime.combine(value.date(), datetime.time())
        serial = (value.date() - EXCEL_EPOCH).days + (value - midnight).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(neutralize(str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_chunks(header: list[str], rows: Iterable[list[Any]], title: str) -> Iterator[bytes]:
    """An XLSX (Office Open XML) written straight into the response as it is produced.

    The sheet's XML is written here, as for ODS: openpyxl's write-only workbook took about a
    millisecond a row and sent nothing until the whole file was done (1,000,000 rows: minutes of
    silence). Text goes in as inline strings, so nothing is held per distinct value.
    """
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED)
    for name, text in XLSX_PARTS.items():
        archive.writestr(name, text)
    archive.writestr("xl/workbook.xml", XLSX_WORKBOOK.format(name=quoteattr(title[:31])))
    yield pipe.take()
    letters = [column_letter(i) for i in range(max(len(header), 1))]
    with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        sheet.write(XLSX_SHEET_HEAD.encode())
        parts = [
            '<row r="1">'
            + "".join(_xlsx_cell(f"{letters[i]}1", str(h)) for i, h in enumerate(header))
            + "</row>"
        ]
        for number, row in enumerate(rows, start=2):
            while len(letters) < len(row):
                letters.append(column_letter(len(letters)))
            parts.append(
                f'<row r="{number}">'
                + "".join(_xlsx_cell(f"{letters[i]}{number}", v) for i, v in enumerate(row))
                + "</row>"
            )
            if len(parts) >= 500:
                sheet.write("".join(parts).encode())
                parts.clear()
                yield pipe.take()
        sheet.write(("".join(parts) + XLSX_SHEET_TAIL).encode())
    archive.close()
    yield pipe.take()


class _Pipe:
    """A write-only file whose bytes are taken out as they come (zipfile streams into it)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.3"'
)
ODS_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODS_NS}><office:styles/></office:document-styles>
"""
ODS_CONTENT_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODS_NS}><office:automatic-styles>\
<number:date-style style:name="iso"><number:year number:style="long"/><number:text>-</number:text>\
<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>\
</number:date-style><style:style style:name="d" style:family="table-cell" \
style:data-style-name="iso"/></office:automatic-styles><office:body><office:spreadsheet>"""
ODS_CONTENT_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    if isinstance(value, Decimal | int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime.date):
        day = value.isoformat()
        return (
            f'<table:table-cell table:style-name="d" office:value-type="date" '
            f'office:date-value="{day}"><text:p>{day}</text:p></table:table-cell>'
        )
    text = neutralize(str(value))
    paragraphs = "".join(f"<text:p>{_ods_text(line)}</text:p>" for line in text.split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_text(line: str) -> str:
    # Runs of spaces and tabs need ODF's own elements, or readers collapse them.
    line = escape(line)
    line = line.replace("\t", "<text:tab/>")
    return re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', line)


def ods_chunks(header: list[str], rows: Iterable[list[Any]], title: str) -> Iterator[bytes]:
    """A valid ODF spreadsheet, written into the response as it is produced."""
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED)
    archive.writestr(
        zipfile.ZipInfo("mimetype"),
        "application/vnd.oasis.opendocument.spreadsheet",
        compress_type=zipfile.ZIP_STORED,
    )
    archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    archive.writestr("styles.xml", ODS_STYLES)
    yield pipe.take()
    with archive.open("content.xml", "w", force_zip64=True) as content:
        content.write(ODS_CONTENT_HEAD.encode())
        content.write(f"<table:table table:name={quoteattr(title[:31])}>".encode())
        content.write(
            (
                "<table:table-row>"
                + "".join(_ods_cell(str(name)) for name in header)
                + "</table:table-row>"
            ).encode()
        )
        parts: list[str] = []
        for row in rows:
            parts.append(
                "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            )
            if len(parts) >= 500:
                content.write("".join(parts).encode())
                parts.clear()
                yield pipe.take()
        content.write(("".join(parts) + ODS_CONTENT_TAIL).encode())
    archive.close()
    yield pipe.take()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
}


def export_response(
    queryset, columns: Sequence[Column | ListColumn], fmt: str, name: str
) -> StreamingHttpResponse:
    """A streamed download of `queryset` (already scoped and filtered) in `fmt` ("csv", "xlsx" or
    "ods"; anything else is CSV), named `name` and today's date."""
    header = [column.header for column in columns]
    # The filters' query runs here, before the response starts: a database error is then an
    # error page, not a file cut off after its header. Only as a probe: the rows are read by a
    # server-side cursor once the file streams, so a response nobody reads holds no open cursor
    # (psycopg would close it whenever the generator is collected, in the middle of another query
    # on the same connection, and wait for itself).
    queryset.exists()
    rows = rows_of(queryset, columns)
    if fmt == "xlsx":
        chunks = xlsx_chunks(header, rows, name)
    elif fmt == "ods":
        chunks = ods_chunks(header, rows, name)
    else:
        fmt = "csv"
        chunks = csv_chunks(header, rows)
    content_type, extension = FORMATS[fmt]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    filename = f"{slugify(name) or 'export'}-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
