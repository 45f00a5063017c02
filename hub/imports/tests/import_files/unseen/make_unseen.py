"""Writes four chapter-office spreadsheets nobody on the team had seen (the acceptance check of
issue 4, played by hand). Run by hand (needs LibreOffice, so formulas carry their computed values);
the files are kept beside this script.

    .venv/bin/python hub/imports/tests/import_files/unseen/make_unseen.py

Every file is about 2025. The expected bad rows, columns and valid sums are in EXPECTED below and in
README.md. Non-EUR values convert with ecb-test-rates-2025.csv (test values: 1 EUR = 1.10 USD,
0.85 GBP, 0.95 CHF on every working day of 2025).
"""

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
NNBSP = "\u202f"  # what LibreOffice in French writes between thousands

# file -> (bad rows {row: column header}, valid rows, valid sums per currency); rows as the
# spreadsheet shows them. "natural" rows are valid as a chapter office means them but use words the
# docs do not list (see README.md).
EXPECTED = {
    "wmat_sachleistungen_2025.xlsx": {
        "bad": {8: "Datum", 11: "Wert", 12: "Art der Leistung", 14: "Menge"},
        "valid": [5, 6, 7, 10, 13, 15],
        "sums": {"EUR": "5959.56", "CHF": "380.00"},
    },
    "wmfr_cvn_2025.ods": {
        "bad": {9: "Quantité", 12: "Date du don", 13: "Catégorie", 14: "Devise"},
        "valid": [5, 6, 7, 8, 10, 11, 15, 16],
        "natural": {8: "'15 avr. 2025' (French abbreviation of avril)", 10: "unit 'exemplaires'"},
        "sums": {"EUR": "5410.00", "USD": "1200.00"},
    },
    "wmes_aportaciones_2025.csv": {
        "bad": {7: "Fecha", 8: "Importe (€)", 12: "Tipo de aportación", 13: "Cantidad"},
        "valid": [4, 5, 6, 9, 10, 11, 14],
        "natural": {5: "method 'Declarado por el donante'", 11: "category 'Alojamiento'"},
        "sums": {"EUR": "5905.50", "USD": "850.00"},
    },
    "wmuk_in_kind_register_2025.xlsx": {
        "bad": {6: "Date received", 8: "Estimated value", 9: "Currency", 11: "Type of support"},
        "valid": [2, 3, 4, 5, 7, 10, 12],
        "sums": {
            "GBP": "2872.50",
            "USD": "5000.00",
            "EUR": "1020.00",
        },  # row 12: 30 h x 20 EUR rate
    },
}


def convert(source: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603
            ["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(source)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        shutil.move(next(Path(tmp).iterdir()), target)


# ------------------------------------------------------------------ 1. WMAT, German XLSX


def wmat(path: Path) -> None:
    """An Austrian office's Excel list: title, 'Stand' line, merged donor cell, formulas reading a
    second sheet of rates, a blank row in the middle and a 'Summe' row at the bottom."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sachleistungen 2025"
    ws["A1"] = "Wikimedia Österreich – Sachleistungen und Pro-bono-Leistungen 2025"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:K1")
    ws["A2"] = "Stand: 31.12.2025, erstellt von der Geschäftsstelle (M. Huber)"
    header = ["Nr.", "Datum", "Spender/Geber", "Art der Leistung", "Beschreibung", "Menge", "Einheit", "Wert", "Währung", "Bewertungsmethode", "Anmerkung"]  # fmt: skip
    for col, text in enumerate(header, 1):
        ws.cell(row=4, column=col, value=text).font = Font(bold=True)
    d = datetime.date
    rows = {
        5: [1, "18. Jänner 2025", "Stadtbibliothek Graz", "Raum", "Veranstaltungssaal für den Edit-a-thon", "1,5", "Tage", "450,00 €", "EUR", "Marktwert", None],
        6: [2, d(2025, 1, 18), None, "Verpflegung", "Getränke und Brötchen", 22, "Personen", "=F6*Stundensätze!C3", "EUR", "Spenderangabe", "lt. Angebot"],
        7: [3, "14.02.2025", "Universität Wien", "Technik", "Beamer und Mikrofonanlage (Leihgabe)", 1, "Stk.", "1.234,56", "EUR", "Marktwert", None],
        8: [4, "31.02.2025", "Fotoclub Innsbruck", "Ehrenamt", "Fotowanderung", 12, "Std.", "=F8*Stundensätze!C2", "EUR", "Pauschale", None],
        # 9: blank row
        10: [5, d(2025, 3, 8), "Wikimedia CH", "Reise", "Bahntickets Zürich–Wien", None, None, "CHF 380.00", "CHF", "Marktwert", "Zug 1. Klasse; Rechnung erlassen"],
        11: [6, d(2025, 4, 12), "Druckerei Berger GmbH", "Drucksachen", "Flyer und Plakate", 1500, "Stück", "12,5.0", "EUR", "Marktwert", None],
        12: [7, d(2025, 5, 20), "Blumen Ströck", "Blumenschmuck", "Tischdekoration", None, None, "85,00", "EUR", "Marktwert", None],
        13: [8, d(2025, 6, 6), "Museum für angewandte Kunst", "Bildrechte", "Nutzungsrechte an 120 Fotos", 120, "Stück", 2400, "EUR", "Spenderangabe", "Vertrag vom 02.06.2025"],
        14: [9, d(2025, 9, 27), "Freiwillige Feuerwehr Mödling", "Ehrenamt", "Absperrung und Ordnerdienst", -6, "Std.", "120,00", "EUR", "Pauschale", None],
        15: [10, "31.12.2025", "WMDE", "Dienstleistung", "Beratung Datenschutz (pro bono)", 8, "h", "1.600,00 €", None, "erlassene Rechnung", None],
    }  # fmt: skip
    for number, values in rows.items():
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=number, column=col, value=value)
            if isinstance(value, d):
                cell.number_format = "DD.MM.YYYY"
    ws["H13"].number_format = '#,##0.00 "€"'
    ws.merge_cells("C5:C6")
    ws["E17"] = "Summe"
    ws["H17"] = "=SUM(H5:H15)"
    rates = wb.create_sheet("Stundensätze")
    rates.append(["Kategorie", "Einheit", "Satz (EUR)"])
    rates.append(["Ehrenamt", "Std.", 20])
    rates.append(["Verpflegung", "Personen", 12.5])
    draft = path.with_suffix(".draft.xlsx")
    wb.save(draft)
    convert(draft, "xlsx:Calc MS Excel 2007 XML", path)
    draft.unlink()


# ------------------------------------------------------------------ 2. French ODS


def wmfr(path: Path) -> None:
    """A French association's LibreOffice sheet of 'contributions volontaires en nature': a grouped
    header row above the header, 'Valorisation (€)' for the value, French dates and numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CVN 2025"
    ws["A1"] = "Contributions volontaires en nature (CVN) – exercice 2025"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:J1")
    ws["A2"] = "Association loi 1901 – exercice du 1er janvier au 31 décembre 2025"
    ws["A3"], ws["C3"], ws["G3"] = "Le don", "Nature", "Valorisation"
    ws.merge_cells("A3:B3")
    ws.merge_cells("C3:F3")
    ws.merge_cells("G3:I3")
    header = ["Date du don", "Donateur / Mécène", "Catégorie", "Description", "Quantité", "Unité", "Valorisation (€)", "Devise", "Méthode d'évaluation", "Justificatif (lien)"]  # fmt: skip
    for col, text in enumerate(header, 1):
        ws.cell(row=4, column=col, value=text).font = Font(bold=True)
    d = datetime.date
    rows: dict[int, list[Any]] = {
        5: [d(2025, 1, 15), "Mairie de Lyon", "Salle", "Mise à disposition d'une salle pour l'atelier", 2, "jours", 800, "EUR", "Valeur marchande", "https://example.org/cvn/convention-lyon.pdf"],
        6: ["12/02/2025", "Bibliothèque nationale de France", "Contenu", "Numérisations sous licence libre", 350, "pièces", f"1{NNBSP}250,00 €", "EUR", "Déclaré par le donateur", None],
        7: ["1er mars 2025", "Traiteur Bouchon Lyonnais", "Restauration", "Buffet pour 40 participants", 40, "personnes", "=E7*15", "EUR", "Valeur marchande", None],
        8: ["15 avr. 2025", "Université de Strasbourg", "Hébergement", "Chambres pour les intervenants (3 nuits)", None, None, "540,00", "EUR", "Valeur marchande", None],
        9: ["30/04/2025", "Association Wiki Loves Lyon", "Bénévolat", "Encadrement des photographes", "douze", "heures", "240,00", "EUR", "Taux standard", None],
        10: ["15/05/2025", "Imprimerie du Rhône", "Impression", "Affiches A2", 200, "exemplaires", "320,00 €", "EUR", "Valeur marchande", None],
        11: ["2025-06-21", "Fondation Orange", "Services professionnels", "Accompagnement juridique (mécénat de compétences)", 10, "heures", 1500, "EUR", "Valeur marchande", None],
        12: ["31/06/2025", "Café des Sciences", "Restauration", "Pause café", 25, "personnes", 125, "EUR", "Valeur marchande", None],
        13: ["14/07/2025", "Fleuriste Rosa", "Fleurs", "Décoration florale", None, None, "90,00", "EUR", None, None],
        14: ["05/09/2025", "Cabinet Dupont & Associés", "Services professionnels", "Audit comptable", None, None, 1800, "ERU", "Valeur marchande", None],
        15: ["20/10/2025", "Wikimedia Foundation", "Logiciels", "Licences logicielles", None, None, "1 200,00 $", "USD", "Déclaré par le donateur", None],
        16: ["3 décembre 2025", "Mairie de Lyon", "Salle", "Salle pour l'assemblée générale", 1, "jour", 400, "EUR", "Valeur marchande", None],
    }  # fmt: skip
    for number, values in rows.items():
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=number, column=col, value=value)
            if isinstance(value, d):
                cell.number_format = "DD/MM/YYYY"
            elif col == 7 and not isinstance(value, str):
                cell.number_format = '#,##0.00 "€"'
    ws["A18"] = "Total"
    ws["G18"] = "=SUM(G5:G16)"
    draft = path.with_suffix(".draft.xlsx")
    wb.save(draft)
    convert(draft, "ods", path)
    draft.unlink()


# ------------------------------------------------------------------ 3. Spanish CSV


def wmes(path: Path) -> None:
    """What Excel in Spanish writes for 'CSV (delimitado por punto y coma)': Windows-1252, ';',
    CRLF, cells as displayed, a quoted cell with a line break (row 4) and a quote (row 10)."""
    lines = [
        "Wikimedia España - Aportaciones en especie 2025;;;;;;;;;",
        "Actualizado: 10/01/2026;;;;;;;;;",
        "Fecha;Donante;Tipo de aportación;Concepto;Cantidad;Unidad;Importe (€);Moneda;Método de valoración;Observaciones",
        '15/01/2025;Ayuntamiento de Córdoba;Espacio;"Cesión del salón de actos;\r\nincluye equipo de sonido";1;día;600,00 €;EUR;Valor de mercado;',
        "08/02/2025;Museo Nacional del Prado;Contenido;Licencia de 50 imágenes en alta resolución;50;unidades;1.500,00 €;EUR;Declarado por el donante;Convenio firmado el 01/02/2025",
        "22/02/2025;Restaurante Casa Lucio;Catering;Comida para 30 voluntarios;30;personas;450,00 €;EUR;Valor de mercado;",
        "31/02/2025;Asociación Wikiesfera;Voluntariado;Taller de edición;10;horas;200,00 €;EUR;Valor de mercado;",
        "12/03/2025;Renfe;Viaje;Billetes de tren Madrid-Barcelona;4;personas;3.20,00 €;EUR;Valor de mercado;",
        "3/4/2025;Imprenta Gráficas Sol;Imprenta;Carteles y folletos;500;unidades;275,50 €;EUR;Valor de mercado;",
        '25/04/2025;Fundación Telefónica;Servicios profesionales;"Asesoría jurídica ""pro bono""";12;horas;1.080,00 €;EUR;Valor de mercado;',
        "10/05/2025;Wikimedia Argentina;Alojamiento;Hotel para ponente (3 noches);;;US$ 850,00;USD;Valor de mercado;",
        "17/05/2025;Colegio Público San José;Flores;Decoración;;;50,00 €;EUR;;",
        "06/06/2025;Asociación de Vecinos de Lavapiés;Voluntariado;Montaje del evento;-8;horas;160,00 €;EUR;Valor de mercado;",
        "15/09/2025;Google España;Publicidad;Ad Grants septiembre;;;2.000,00 €;EUR;Valor de mercado;Campaña #WikiLovesMonuments",
        ";;;;;;;;;",
        "Total;;;;;;7.065,50 €;;;",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


# ------------------------------------------------------------------ 4. English XLSX, cover first


def wmuk(path: Path) -> None:
    """A UK-style register: a hidden 'Lists' sheet first, a cover sheet with a summary table by type
    (SUMIF formulas), then the register with a header in row 1 and a 'Total' row."""
    wb = openpyxl.Workbook()
    lists = wb.active
    lists.title = "Lists"
    lists.append(["Type", "Unit", "Valuation basis"])
    for row in (["Venue", "day", "Market value"], ["Food", "people", "Donor stated"], ["Staff time", "hrs", "Standard rate"]):  # fmt: skip
        lists.append(row)
    lists.sheet_state = "hidden"
    cover = wb.create_sheet("Cover")
    cover["A1"] = "Wikimedia UK — In-kind support register 2025"
    cover["A1"].font = Font(bold=True, size=14)
    cover["A3"], cover["B3"] = "Organisation", "Wikimedia UK"
    cover["A4"], cover["B4"] = "Reporting period", "1 January – 31 December 2025"
    cover["A5"], cover["B5"] = "Prepared by", "Finance team"
    cover["A7"] = "Summary by type of support"
    cover["A8"], cover["B8"], cover["C8"] = "Type", "Number of gifts", "Value (GBP)"
    for i, kind in enumerate(["Venue", "Content", "Staff time", "Food", "Software", "Travel", "Volunteer time"], 9):  # fmt: skip
        cover[f"A{i}"] = kind
        cover[f"B{i}"] = f"=COUNTIF('Register 2025'!D:D,A{i})"
        cover[f"C{i}"] = f"=SUMIF('Register 2025'!D:D,A{i},'Register 2025'!H:H)"
    cover["A16"], cover["C16"] = "Total", "=SUM(C9:C15)"
    ws = wb.create_sheet("Register 2025")
    header = ["Ref", "Date received", "Donor / Partner", "Type of support", "Description", "Qty", "Unit", "Estimated value", "Currency", "Valuation basis", "Evidence link", "Confidential?"]  # fmt: skip
    for col, text in enumerate(header, 1):
        ws.cell(row=1, column=col, value=text).font = Font(bold=True)
    ws.freeze_panes = "A2"
    d = datetime.date
    rows = {
        2: ["IK-001", d(2025, 1, 24), "British Library", "Venue", "Conference room for a Wikidata workshop", 1, "day", 750, "GBP", "Market value", "https://example.org/bl-letter.pdf", "No"],
        3: ["IK-002", "3 March 2025", "Wellcome Collection", "Content", "Image licence, 200 images", 200, "items", "£1,250.00", None, "Donor stated", None, "Yes"],
        4: ["IK-003", "March 15, 2025", "University of Edinburgh", "Staff time", "Archivist time for digitisation", 16, "hrs", "=F4*35", "GBP", "Standard rate", None, None],
        5: ["IK-004", d(2025, 4, 5), "Pizza Express Holborn", "Food", "Lunch for the editathon", 25, "people", "£312.50", "GBP", "Market value", None, "No"],
        6: ["IK-005", "29/02/2025", "Volunteers (various)", "Volunteer time", "Stall at the festival", 40, "hours", None, None, "Standard rate", None, None],
        7: ["IK-006", d(2025, 5, 17), "Amazon Web Services", "Software", "Cloud credits", None, None, "$5,000.00", "USD", "Donor stated", None, "No"],
        8: ["IK-007", d(2025, 6, 2), "Cardiff Print Co.", "Printing", "Leaflets", 1000, "items", "TBC", "GBP", "Market value", None, None],
        9: ["IK-008", d(2025, 7, 12), "Royal Society", "Prizes", "Book tokens for competition winners", 10, "items", 200, "GPB", "Market value", None, None],
        10: ["IK-009", d(2025, 9, 30), "Wikimedia Deutschland", "Travel", "Train tickets for WikiCon speakers", None, None, 420, "EUR", "Market value", None, "No"],
        11: ["IK-010", d(2025, 10, 14), "National Museum Wales", "Flowers", "Table flowers", None, None, 60, "GBP", "Market value", None, None],
        12: ["IK-011", d(2025, 11, 20), "Volunteers (various)", "Volunteer time", "Wiki Loves Monuments jury", 30, "hours", None, None, "Standard rate", None, None],
    }  # fmt: skip
    for number, values in rows.items():
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=number, column=col, value=value)
            if isinstance(value, d):
                cell.number_format = "DD/MM/YYYY"
            elif col == 8 and value is not None and (not isinstance(value, str) or value[0] == "="):
                cell.number_format = "£#,##0.00"
    ws["A14"], ws["H14"] = "Total", "=SUM(H2:H12)"
    draft = path.with_suffix(".draft.xlsx")
    wb.save(draft)
    convert(draft, "xlsx:Calc MS Excel 2007 XML", path)
    draft.unlink()


def main() -> None:
    wmat(HERE / "wmat_sachleistungen_2025.xlsx")
    wmfr(HERE / "wmfr_cvn_2025.ods")
    wmes(HERE / "wmes_aportaciones_2025.csv")
    wmuk(HERE / "wmuk_in_kind_register_2025.xlsx")


if __name__ == "__main__":
    main()
