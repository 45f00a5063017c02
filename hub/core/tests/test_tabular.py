"""hub.core.tabular over the corpus of hostile and realistic files (hub/core/tests/corpus)."""

import datetime
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from hub.core.tabular import (
    Limits,
    TabularError,
    ValueProblem,
    fold,
    looks_like_formula,
    name_key,
    number_affixes,
    open_table,
    parse_date,
    parse_number,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
WORDS = ["spender", "datum", "kategorie", "beschreibung", "menge", "einheit", "wert", "währung"]
HEADER = ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"]

# file -> a phrase the refusal must contain
REFUSED = {
    "empty.csv": "empty",
    "empty.xlsx": "empty",
    "blank_lines.csv": "empty",
    "duplicate_headers.csv": "appears twice (columns B and C)",
    "missing_header.csv": "Column B has values but no header",
    "html_as.xlsx": "web page (HTML)",
    "xls_as.xlsx": ".xls",
    "png_as.csv": "not a text file",
    "macro.xlsm": "macros",
    "macro_inside.xlsx": "macros",
    "zip_bomb.xlsx": "zip bomb",
    "second_reference.xlsx": "damaged",
    "entity_reference.xlsx": "XML the hub does not read",
    "repeat_bomb.ods": "The sheet 'Data' spans 17,179,869,184 cells",
    "sheets_together.ods": "The workbook's 3 sheets span 6,003,000 cells together",
    "mixed_encoding.csv": "line 1 is UTF-8, line 4 is not",
}
# file -> the refusal, checked in a subprocess with a memory limit (test_tabular_memory.py): read
# in the test process, before the fix, they took gigabytes or aborted it
BOMBS = {
    "range_bomb.xlsx": "The sheet 'Data' spans 17,179,869,184 cells (A1 to XFD1048576",
    "range_cv300000.xlsx": "The sheet 'Data' spans 30,000,000 cells (A1 to CV300000",
    "range_bomb_unreferenced.xlsx": "The sheet 'Sheet' spans 314,572,800 cells",
    "repeat_far.ods": "The sheet 'Data' spans 30,000,200 cells",
    "repeat_bomb.ods": "The sheet 'Data' spans 17,179,869,184 cells",
    "zip_bomb.xlsx": "zip bomb",
}
# file -> (encoding, header row, number of data rows)
READ = {
    "utf8.csv": ("UTF-8", 1, 3),
    "utf8_bom.csv": ("UTF-8", 1, 3),
    "cp1252.csv": ("Windows-1252", 1, 2),
    "utf16_bom_tabs.csv": ("UTF-16", 1, 3),
    "quoted_newlines.csv": ("UTF-8", 1, 2),
    "title_and_total.csv": ("UTF-8", 3, 3),
    "formula_payloads.csv": ("UTF-8", 1, 4),
    "huge_cell.csv": ("UTF-8", 1, 2),
    "plain_openpyxl.xlsx": ("", 1, 3),
    "uncached_formula.xlsx": ("", 1, 1),
    "office.xlsx": ("", 4, 6),
    "office.ods": ("", 4, 6),
    "lying_dimension.xlsx": ("", 1, 3),
    "edge_padding.ods": ("", 1, 1),
    "deep_xml.xlsx": ("", 1, 1),
    "deep_xml.ods": ("", 1, 1),
}


def read(name, **kwargs):
    table = open_table(CORPUS / name, header_words=WORDS, **kwargs)
    return table, list(table.rows())


def test_every_corpus_file_is_covered():
    files = {p.name for p in CORPUS.iterdir() if p.suffix != ".py"}
    assert files == set(REFUSED) | set(READ) | set(BOMBS)


@pytest.mark.parametrize(("name", "phrase"), sorted(REFUSED.items()))
def test_hostile_file_is_refused_with_a_clear_message(name, phrase):
    with pytest.raises(TabularError) as caught:
        read(name)
    assert phrase in str(caught.value)
    assert all(p.message for p in caught.value.problems)


@pytest.mark.parametrize(("name", "expected"), sorted(READ.items()))
def test_readable_file_gives_clean_rows(name, expected):
    encoding, header_row, count = expected
    table, rows = read(name)
    assert (table.encoding, table.header_row, len(rows)) == (encoding, header_row, count)
    assert all(len(row.values) == len(table.headers) for row in rows)


@pytest.mark.parametrize("name", ["utf8.csv", "utf8_bom.csv", "cp1252.csv", "utf16_bom_tabs.csv"])
def test_encodings_and_delimiters_give_the_same_text(name):
    table, rows = read(name)
    assert table.headers == HEADER
    assert rows[0].values[:4] == ["Museum Wien", "01.03.2024", "Raum", "Saal für den Workshop"]
    assert rows[1].values[0] == "Bäckerei Müller"


def test_a_quoted_newline_stays_in_its_cell_and_rows_count_as_the_sheet_shows_them():
    _table, rows = read("quoted_newlines.csv")
    assert rows[0].values[3] == 'Saal,\nzweiter Stock\n"Ost"'
    assert [row.number for row in rows] == [2, 3]


def test_a_huge_cell_is_a_problem_naming_its_row_and_column():
    _table, rows = read("huge_cell.csv")
    (problem,) = rows[0].problems
    assert (problem.row, problem.column) == (2, "Beschreibung")
    assert "1,048,576 characters" in str(problem)
    assert rows[0].values[3] is None
    assert rows[1].problems == []


def test_formula_payloads_arrive_as_inert_text_and_are_recognised():
    _table, rows = read("formula_payloads.csv")
    assert looks_like_formula(rows[0].values[0])
    assert looks_like_formula(rows[1].values[3])
    assert looks_like_formula(rows[2].values[3])
    assert not looks_like_formula(rows[3].values[0])
    assert not looks_like_formula("-12,50")


def test_an_uncached_formula_is_named_not_read_as_empty():
    _table, rows = read("uncached_formula.xlsx")
    (problem,) = rows[0].problems
    assert (problem.row, problem.column) == (2, "Wert")
    assert "formula" in problem.message


@pytest.mark.parametrize("name", ["office.xlsx", "office.ods"])
def test_the_office_workbook(name):
    table, rows = read(name)
    assert table.header_row == 4
    assert [s.number for s in table.skipped] == [12]
    by_number = {row.number: row.values for row in rows}
    assert sorted(by_number) == [5, 6, 7, 8, 9, 10]
    # the merged cell A8:A9 gives its value to row 9
    assert by_number[9][0] == "Ehrenamtliche"
    # formulas give their computed values
    assert parse_number(by_number[6][6], affixes=MONEY) == Decimal("112.5")
    assert parse_number(by_number[9][6], affixes=MONEY) == Decimal("240")
    # a serial number, a real date and German text dates
    assert parse_date(by_number[7][1]) == datetime.date(2024, 3, 29)
    assert parse_date(by_number[6][1]) == datetime.date(2024, 3, 15)
    assert parse_date(by_number[9][1]) == datetime.date(2024, 5, 5)
    assert by_number[10][0] == "Музей истории Киева"
    assert parse_number(by_number[10][6], affixes=MONEY) == Decimal("2500")


def test_the_size_limit_is_checked_before_parsing(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Spender,Wert\n" + "A,1\n" * 100)
    with pytest.raises(TabularError, match="reads files up to"):
        open_table(path, limits=Limits(max_bytes=100))


def test_a_zip_whose_parts_unpack_too_far_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "x" * (2 << 20) + "</a>")
    with pytest.raises(TabularError, match="unpacks to"):
        open_table(path, limits=Limits(max_uncompressed=1 << 20, max_ratio=10_000))


def test_a_name_that_disagrees_with_the_content_is_refused(tmp_path):
    path = tmp_path / "sheet.ods"
    path.write_bytes((CORPUS / "plain_openpyxl.xlsx").read_bytes())
    with pytest.raises(TabularError, match=r"content is XLSX"):
        open_table(path)
    with pytest.raises(TabularError, match="Only CSV, XLSX and ODS"):
        open_table(CORPUS / "utf8.csv", name="notes.docx")


def test_a_value_in_a_column_without_a_header_far_down_is_a_row_problem(tmp_path):
    path = tmp_path / "late.csv"
    lines = ["Spender,Wert,"] + ["A,1,"] * 25 + ["B,2,surprise"]
    path.write_text("\n".join(lines))
    table = open_table(path)
    rows = list(table.rows())
    (problem,) = rows[-1].problems
    assert problem.row == 27
    assert "without a header" in problem.message


# what a money column allows around a number (the funding import passes its own list)
MONEY = number_affixes(["€", "$", "EUR", "CHF"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1'234.50", "1234.50"),
        ("€ 12,50", "12.50"),
        ("12,50 €", "12.50"),
        ("EUR 1.000", "1000"),
        ("CHF 99.90", "99.90"),
        ("$1,000,000.25", "1000000.25"),
        ("(1.000,00)", "-1000.00"),
        ("−5", "-5"),
        ("0,125", "0.125"),
        ("12.5", "12.5"),
    ],
)
def test_numbers_as_people_write_them(text, expected):
    assert parse_number(text, affixes=MONEY) == Decimal(expected)


def test_words_around_a_number_are_read_off_only_when_the_caller_allows_them():
    assert parse_number("12 kg", affixes=number_affixes(["kg"])) == Decimal("12")
    assert parse_number("KG12", affixes=number_affixes(["kg"])) == Decimal("12")
    for text in ("€ 12,50", "12 EUR", "12 kg"):
        with pytest.raises(ValueProblem):
            parse_number(text)  # core knows no currency: without affixes, none is read off
    with pytest.raises(ValueProblem):
        parse_number("12 kg", affixes=number_affixes([]))


@pytest.mark.parametrize("text", ["12,5.0", "1.2.3,4", "abc", "1,23,456", "", "12 3", "€"])
def test_what_is_not_a_number(text):
    with pytest.raises(ValueProblem):
        parse_number(text, affixes=MONEY)


def test_an_ambiguous_separator_follows_the_hint():
    assert parse_number("1.234") == Decimal("1234")
    assert parse_number("1.234", decimal_comma=False) == Decimal("1.234")
    assert parse_number("1,234", decimal_comma=True) == Decimal("1.234")
    assert parse_number("1,234", decimal_comma=False) == Decimal("1234")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", (2024, 3, 1)),
        ("2024/03/01", (2024, 3, 1)),
        ("01.03.2024", (2024, 3, 1)),
        ("1.3.24", (2024, 3, 1)),
        ("1/3/2024", (2024, 3, 1)),
        ("13/3/2024", (2024, 3, 13)),
        ("3/13/2024", (2024, 3, 13)),
        ("1 March 2024", (2024, 3, 1)),
        ("March 1, 2024", (2024, 3, 1)),
        ("1. März 2024", (2024, 3, 1)),
        ("1er mars 2024", (2024, 3, 1)),
        ("1 de marzo de 2024", (2024, 3, 1)),
        ("01-Mar-2024", (2024, 3, 1)),
        ("45352", (2024, 3, 1)),
        ("2024-03-01 00:00:00", (2024, 3, 1)),
    ],
)
def test_dates_as_people_write_them(text, expected):
    assert parse_date(text) == datetime.date(*expected)


def test_day_first_decides_only_when_both_parts_could_be_a_month():
    assert parse_date("1/3/2024", day_first=False) == datetime.date(2024, 1, 3)
    assert parse_date("13/3/2024", day_first=False) == datetime.date(2024, 3, 13)
    assert parse_date("01.03.2024", day_first=False) == datetime.date(2024, 3, 1)


def test_serial_numbers_match_the_spreadsheet_calendar():
    assert parse_date(1) == datetime.date(1900, 1, 1)
    assert parse_date(59) == datetime.date(1900, 2, 28)
    assert parse_date(61) == datetime.date(1900, 3, 1)
    assert parse_date(45352.75) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("text", ["31.02.2024", "2024", "yesterday", "1 Smarch 2024", "0", True])
def test_what_is_not_a_date(text):
    with pytest.raises(ValueProblem):
        parse_date(text)


def test_names_compare_without_case_accents_or_spacing():
    assert name_key("Österreichische  Nationalbibliothek") == name_key(
        "osterreichische nationalbibliothek"
    )
    assert name_key("Müller G.m.b.H.") == name_key("MULLER GMBH")
    assert fold("Библиотека  Москвы") == "библиотека москвы"
