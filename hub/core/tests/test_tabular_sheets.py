"""hub.core.tabular in workbooks of several sheets: which sheet is read, naming one, and the checks
(merged cells, uncached formulas, the openpyxl path for large sheets) on a sheet other than the
first. The workbooks are written with openpyxl; the ODS twins are saved by LibreOffice."""

from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from hub.core import tabular
from hub.core.tabular import TabularError, list_sheets, open_table, sheet_names
from hub.core.testing.office import soffice_convert

WORDS = ["spender", "datum", "kategorie", "wert"]
HEADER = ["Spender", "Datum", "Kategorie", "Wert"]


def office_workbook(path: Path) -> Path:
    """What a chapter office sends: a cover sheet, last year's list hidden, this year's list with
    a title row and a merged donor cell, a chart sheet, and notes."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Deckblatt"
    cover.append(["Sachspenden an Wikimedia Testland"])
    cover.append(["Stand", "15.01.2025"])
    old = wb.create_sheet("Spenden 2023")
    old.sheet_state = "hidden"
    old.append(HEADER)
    old.append(["Altes Museum", "01.03.2023", "Raum", 100])
    data = wb.create_sheet("Spenden 2024")
    data.append(["Sachspenden 2024"])
    data.append(HEADER)
    data.append(["Testland Museum", "01.03.2024", "Raum", 1200])
    data.append(["Ehrenamtliche", "04.05.2024", "Ehrenamt", 800])
    data.append([None, "05.05.2024", "Ehrenamt", 240])
    data.merge_cells("A4:A5")
    data.append(["Druckerei", "02.04.2024", "Druck", "=40*2"])  # no saved result
    chart = wb.create_chartsheet("Diagramm")
    bars = BarChart()
    bars.add_data(Reference(data, min_col=4, min_row=2, max_row=5))
    chart.add_chart(bars)
    notes = wb.create_sheet("Notizen")
    notes.append(["Spender", "Notiz"])
    notes.append(["Testland Museum", "Dank per Brief"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sheets")
    xlsx = office_workbook(folder / "spenden.xlsx")
    soffice_convert(xlsx, "ods")
    return {"xlsx": xlsx, "ods": folder / "spenden.ods"}


def rows_of(table) -> dict[int, list]:
    return {row.number: row.values for row in table.rows()}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_sheet_with_the_list_is_read_not_the_cover_or_a_hidden_one(books, fmt):
    table = open_table(books[fmt], header_words=WORDS)
    assert table.sheet == "Spenden 2024"
    assert (table.header_row, table.headers) == (2, HEADER)
    rows = rows_of(table)
    assert sorted(rows) == [3, 4, 5, 6]
    assert rows[3][:3] == ["Testland Museum", "01.03.2024", "Raum"]
    # the merged cell A4:A5 of the second sheet gives its value to row 5
    assert rows[5][0] == "Ehrenamtliche"


def test_an_uncached_formula_on_the_chosen_sheet_is_named(books):
    table = open_table(books["xlsx"], header_words=WORDS)
    problems = [p for row in table.rows() for p in row.problems]
    assert [(p.row, p.column) for p in problems] == [(6, "Wert")]


def test_a_large_chosen_sheet_streams_with_openpyxl_to_the_same_rows(books, monkeypatch):
    expected = rows_of(open_table(books["xlsx"], header_words=WORDS))
    monkeypatch.setattr(tabular.xlsx, "CALAMINE_SHEET_BYTES", 0)
    table = open_table(books["xlsx"], header_words=WORDS)
    assert table.sheet == "Spenden 2024"
    assert rows_of(table) == expected


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_named_sheet_is_read_even_a_hidden_one_and_the_name_may_differ_in_case(books, fmt):
    table = open_table(books[fmt], header_words=WORDS, sheet="Notizen")
    assert (table.sheet, table.headers) == ("Notizen", ["Spender", "Notiz"])
    assert list(rows_of(table).values()) == [["Testland Museum", "Dank per Brief"]]
    hidden = open_table(books[fmt], header_words=WORDS, sheet="spenden  2023")
    assert hidden.sheet == "Spenden 2023"
    assert list(rows_of(hidden).values()) == [["Altes Museum", "01.03.2023", "Raum", 100]]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_an_unknown_sheet_is_refused_naming_the_sheets_there_are(books, fmt):
    with pytest.raises(TabularError) as caught:
        open_table(books[fmt], header_words=WORDS, sheet="Spenden 2025")
    message = str(caught.value)
    assert "no sheet named 'Spenden 2025'" in message
    assert "'Deckblatt', 'Spenden 2023', 'Spenden 2024'" in message


def test_a_chart_sheet_is_no_table(books):
    assert sheet_names(books["xlsx"]) == ["Deckblatt", "Spenden 2023", "Spenden 2024", "Notizen"]
    charts = [s.name for s in list_sheets(books["xlsx"]) if not s.worksheet]
    assert charts == ["Diagramm"]
    with pytest.raises(TabularError, match="'Diagramm' is a chart"):
        open_table(books["xlsx"], sheet="Diagramm")


def test_the_sheets_are_listed_with_what_the_page_needs(books):
    listed = list_sheets(books["ods"])
    assert [s.name for s in listed if s.hidden] == ["Spenden 2023"]
    assert [s.name for s in list_sheets(books["xlsx"]) if s.hidden] == ["Spenden 2023"]
    table = open_table(books["ods"], header_words=WORDS)
    assert table.sheets[:3] == ["Deckblatt", "Spenden 2023", "Spenden 2024"]


def test_without_header_words_the_first_visible_sheet_with_rows_is_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Leer"
    wb.create_sheet("Liste").append(["Spender", "Wert"])
    wb["Liste"].append(["Museum", 1])
    wb.save(tmp_path / "two.xlsx")
    table = open_table(tmp_path / "two.xlsx")
    assert (table.sheet, table.headers) == ("Liste", ["Spender", "Wert"])
    with pytest.raises(TabularError, match="The sheet 'Leer' has no rows"):
        open_table(tmp_path / "two.xlsx", sheet="Leer")


def test_without_a_recognisable_header_the_first_sheet_is_read_as_before(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Eins"
    wb.active.append(["Name", "Betrag"])
    wb.create_sheet("Zwei").append(["Titel", "Menge"])
    wb.save(tmp_path / "plain.xlsx")
    table = open_table(tmp_path / "plain.xlsx", header_words=WORDS)
    assert (table.sheet, table.sheets) == ("Eins", ["Eins", "Zwei"])


def test_a_cover_with_a_small_summary_table_loses_to_the_list(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active.append(["Kategorie", "Wert"])
    wb.active.append(["Raum", 1200])
    register = wb.create_sheet("Register")
    register.append(HEADER)
    register.append(["Testland Museum", "2024-02-01", "Raum", 1200])
    wb.save(tmp_path / "cover.xlsx")
    table = open_table(tmp_path / "cover.xlsx", header_words=WORDS)
    assert table.sheet == "Register"
    assert table.headers == HEADER


def test_the_header_is_the_row_with_most_known_words_not_a_grouped_heading_above(tmp_path):
    path = tmp_path / "grouped.csv"
    path.write_text(
        "Spender,Spender,Wert\nSpender,Datum,Kategorie,Wert\nMuseum,2024-02-01,Raum,1\n"
    )
    table = open_table(path, header_words=WORDS)
    assert (table.header_row, table.headers) == (2, HEADER)


def test_a_csv_has_no_sheets(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Spender,Wert\nMuseum,1\n")
    assert sheet_names(path) == []
    assert open_table(path).sheet == ""
    with pytest.raises(TabularError, match="A CSV file has no sheets"):
        open_table(path, sheet="Tabelle1")
