"""hub.core.tabular.census: the scan of a sheet's XML agrees with the parser, and the limits hold
on every reader."""

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hub.core import tabular
from hub.core.tabular import Limits, TabularError, open_table
from hub.core.tabular.census import xlsx_census
from hub.core.tests.test_tabular import CORPUS

MEMBER = "xl/worksheets/sheet1.xml"
cells = st.lists(
    st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384), st.sampled_from(["x", 1, None])),
    min_size=1,
    max_size=8,
)


def censuses(path: Path):
    with zipfile.ZipFile(path) as archive:
        return (
            xlsx_census(archive, MEMBER, "Sheet"),
            xlsx_census(archive, MEMBER, "Sheet", exact=True),
        )


@settings(max_examples=25, deadline=None)
@given(cells=cells)
def test_the_scan_finds_the_range_the_parser_finds(tmp_path_factory, cells):
    book = Workbook()
    for row, col, value in cells:
        book.active.cell(row=row, column=col, value=value)
    path = tmp_path_factory.mktemp("census") / "sheet.xlsx"
    book.save(path)
    fast, exact = censuses(path)
    assert not fast.exact
    assert (fast.first_row, fast.last_row, fast.first_col, fast.last_col, fast.rows) == (
        exact.first_row,
        exact.last_row,
        exact.first_col,
        exact.last_col,
        exact.rows,
    )


@pytest.mark.parametrize(
    ("name", "exact"),
    [
        ("office.xlsx", False),  # LibreOffice's own XML: scanned
        ("range_bomb_unreferenced.xlsx", True),  # cells without r: parsed
    ],
)
def test_a_sheet_the_scan_cannot_vouch_for_goes_to_the_parser(name, exact):
    with zipfile.ZipFile(CORPUS / name) as archive:
        assert xlsx_census(archive, MEMBER, "Sheet").exact is exact


def test_a_cell_with_two_references_is_refused_by_the_parser():
    # calamine reads the last r of <c r="A2" r="CV300000">, a scan the first
    with (
        zipfile.ZipFile(CORPUS / "second_reference.xlsx") as archive,
        pytest.raises(TabularError, match="damaged"),
    ):
        xlsx_census(archive, MEMBER, "Sheet")


def test_openpyxl_reads_the_cells_present_not_the_declared_range(monkeypatch):
    monkeypatch.setattr(tabular.xlsx, "CALAMINE_SHEET_BYTES", 0)
    raw = list(tabular.xlsx._xlsx_rows(CORPUS / "lying_dimension.xlsx", Limits(), {}))
    # the sheet claims A1:XFD1048576; openpyxl would pad every row to 16,384 cells and add rows
    assert [(number, len(values)) for number, values in raw] == [(1, 2), (2, 2), (3, 2), (4, 2)]


def test_a_workbook_with_more_shared_texts_than_cells_the_hub_reads_is_refused(tmp_path):
    book = Workbook()
    for n in range(1, 60):
        book.active.cell(row=n, column=1, value=f"Spender {n}")
    path = tmp_path / "texts.xlsx"
    book.save(path)
    texts = tmp_path / "more_texts.xlsx"
    sst = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % n for n in range(200)) + b"</sst>"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(texts, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/strings.xml", sst)  # a reader finds it by its relationship
    with pytest.raises(TabularError, match="holds 200 different texts; the hub reads at most 100"):
        open_table(texts, limits=Limits(max_cells=100))


def test_the_limit_is_the_range_not_the_cells_filled(tmp_path):
    book = Workbook()
    book.active.title = "Liste"
    book.active["A1"], book.active["B1"], book.active["J10"] = "Spender", "Wert", 1
    path = tmp_path / "ten.xlsx"
    book.save(path)
    assert len(list(open_table(path, limits=Limits(max_cells=100)).rows())) == 1
    with pytest.raises(TabularError) as caught:
        open_table(path, limits=Limits(max_cells=99))
    assert str(caught.value).startswith(
        "The sheet 'Liste' spans 100 cells (A1 to J10, from its first to its last filled cell); "
        "the hub reads at most 99."
    )


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_merged_cells_covering_more_than_the_hub_reads_are_refused(tmp_path, monkeypatch, reader):
    if reader == "openpyxl":
        monkeypatch.setattr(tabular.xlsx, "CALAMINE_SHEET_BYTES", 0)
    book = Workbook()
    book.active.append(["Spender", "Wert"])
    book.active.append(["Museum", 1])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    # each merge is looked at for every row it spans (openpyxl would build every merged cell)
    merges = b"".join(b'<mergeCell ref="A%d:B60000"/>' % row for row in range(3, 403))
    path = tmp_path / "merges.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == MEMBER:
                data = data.replace(
                    b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>"
                )
            dst.writestr(info.filename, data)
    with pytest.raises(TabularError, match="merged cells cover 47,838,800 cells"):
        open_table(path)


def test_choosing_a_sheet_stops_once_the_sheets_read_hold_more_cells_than_the_hub_reads(tmp_path):
    book = Workbook()
    for title in ("Deckblatt", "Notizen", "Spenden"):
        sheet = book.create_sheet(title)
        sheet["A1"], sheet["F10"] = "Stand 2024", "x"  # 60 cells each
    book["Spenden"].append(["Spender", "Wert"])
    del book["Sheet"]
    path = tmp_path / "three.xlsx"
    book.save(path)
    words = ["spender", "wert"]
    assert open_table(path, header_words=words, limits=Limits(max_cells=200)).sheet == "Spenden"
    # a workbook of many sheets is not read whole to find the list: name the sheet instead
    assert open_table(path, header_words=words, limits=Limits(max_cells=100)).sheet == "Deckblatt"
    named = open_table(path, header_words=words, limits=Limits(max_cells=100), sheet="Spenden")
    assert named.headers == ["Spender", "Wert"]
