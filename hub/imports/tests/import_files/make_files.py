"""Writes the chapter-office spreadsheets the import tests use. Run by hand (needs LibreOffice, so
formulas carry their computed values); the files are committed and tests never run this.

    .venv/bin/python hub/imports/tests/import_files/make_files.py
"""

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
HEADER = ["Spender", "Projekt", "Datum", "Kategorie", "Beschreibung", "Menge", "Einheit", "Wert (EUR)", "Bewertung"]  # fmt: skip


def rows(*, broken: bool):
    return [
        ["Testland Museum", "Digitalisierung Museum", "01.03.2024", "Raum", "Vortragssaal für den Editathon", 2, "Tage", "1.200,00", "Marktwert"],
        ["Bäckerei Müller", None, 45366, "Verpflegung", "Kaffee & Kuchen", 25, "Personen", "=F6*4.5", "Spenderangabe"],
        ["Q1234567", None, "2. April 2024", "Druck", "Flyer A5", 500, "Stück", "12,5.0" if broken else "€ 310,50", "Marktwert"],
        ["Ehrenamtliche Fotograf:innen", None, datetime.date(2024, 5, 4), "Ehrenamt", "Fotowanderung", 40, "Stunden", "=F8*20", "Pauschale"],
        [None, None, "05.05.2024", "Ehrenamt", "Bildbearbeitung", 12, "Stunden", "=F9*20", "Pauschale"],
        ["Музей истории Киева", None, "31.02.2024" if broken else "1/6/2024", "Lizenz", "Bildrechte für 40 Fotos", None, None, "2.500", "Spenderangabe"],
        ["WMOL", None, "15.07.2024", "Reise", "Bahnfahrt zur Wikimania", None, None, "1 234,56", "Marktwert"],
    ]  # fmt: skip


def workbook(path: Path, *, broken: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sachspenden 2024"
    ws["A1"] = "Wikimedia Testland – Sachspenden 2024"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:I1")
    ws["A2"] = "Geschäftsstelle, Stand 15.01.2025"
    ws.append([])
    ws.append(HEADER)
    for row in rows(broken=broken):
        ws.append(row)
    ws.merge_cells("A8:A9")
    ws.append([])
    ws.append(["Summe", None, None, None, None, None, None, "=SUM(H5:H11)"])
    wb.save(path)


def convert(source: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603
            ["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(source)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        shutil.move(next(Path(tmp).iterdir()), target)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for broken, name in ((False, "sachspenden_2024"), (True, "sachspenden_2024_fehler")):
            draft = Path(tmp) / f"{name}.xlsx"
            workbook(draft, broken=broken)
            convert(draft, "xlsx:Calc MS Excel 2007 XML", HERE / f"{name}.xlsx")
            convert(draft, "ods", HERE / f"{name}.ods")
            convert(
                HERE / f"{name}.xlsx",
                "csv:Text - txt - csv (StarCalc):59,34,76,1",
                HERE / f"{name}.csv",
            )


if __name__ == "__main__":
    main()
