"""Reading wikitables from wikitext: cells as people read them, spans filled, links kept."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.tabular import TabularError, as_table
from hub.core.tabular.wikitext import read_tables, write_wikitable


def only(wikitext):
    (table,) = read_tables(wikitext)
    return table


def cells(text):
    """The data cells of a one-column table whose one data cell is `text`."""
    return only(f"{{|\n! H\n|-\n| {text}\n|}}").rows[0][0]


def test_inline_cells_header_cells_rows_and_caption():
    table = only(
        "{| class=\"wikitable\"\n|+ The ''caption''\n! A !! B\n! C\n|-\n| 1 || 2\n| 3\n|-\n|4||5||6\n|}"
    )
    assert table.caption == "The caption"
    assert table.name == "The caption"
    assert table.headers == ["A", "B", "C"]
    assert table.rows == [["1", "2", "3"], ["4", "5", "6"]]


def test_attributes_before_a_single_bar_are_left_out():
    table = only('{|\n! style="width:10em" | Name\n|-\n| style="color:red" | Amical\n|}')
    assert table.headers == ["Name"]
    assert table.rows == [["Amical"]]


@pytest.mark.parametrize(
    ("wikitext", "text", "links"),
    [
        ("[[Wikimedia Argentina|WMAR]]", "WMAR", ("Wikimedia Argentina",)),
        ("[[Wikimedia Argentina]]", "Wikimedia Argentina", ("Wikimedia Argentina",)),
        ("[[:Category:GLAM]]", "Category:GLAM", ("Category:GLAM",)),
        ("[[Page#Section|there]]", "there", ("Page",)),
        ("[[Category:GLAM]] Museum", "Museum", ()),
        ("[[Media:Anthem.ogg|the anthem]]", "the anthem", ("Media:Anthem.ogg",)),
        ("[[File:Logo.svg|20px]] Museum", "Museum", ()),
        ("[https://example.org Example]", "Example", ("https://example.org",)),
        ("[https://example.org]", "https://example.org", ("https://example.org",)),
        ("see https://example.org", "see https://example.org", ("https://example.org",)),
        ("{{flag|Germany}}", "Germany", ()),
        ("{{flag|country=Germany}}", "", ()),
        ("{{citation needed}}", "", ()),
        ("a {{!}} b", "a | b", ()),
        ("{{#if: x | y | z}}{{PAGENAME}}", "", ()),
        ("'''bold''' and ''italic''", "bold and italic", ()),
        ("Text<ref>A source</ref><ref name=x />", "Text", ()),
        ("one<br>two<br />three", "one\ntwo\nthree", ()),
        ("<!-- hidden -->shown", "shown", ()),
        ("AT&amp;T &ndash; &#124;", "AT&T – |", ()),
        ("<small>tiny</small> <span style=x>text</span>", "tiny text", ()),
        ("  spaced   out  ", "spaced out", ()),
    ],
)
def test_a_cells_text_and_links(wikitext, text, links):
    table = only(f"{{|\n! H\n|-\n| {wikitext}\n|}}")
    assert table.rows == [[text]]
    assert table.links == [[links]]


def test_a_cell_on_several_lines_is_one_cell():
    table = only("{|\n! H !! I\n|-\n| first\nline\n| other\n|}")
    assert table.rows == [["first line", "other"]]


def test_rowspan_and_colspan_fill_every_place_they_cover():
    table = only(
        '{|\n! A !! B !! C\n|-\n| rowspan=2 | x || colspan="2" | y\n|-\n| p || q\n'
        "|-\n| 1 || rowspan=5 | tall || 3\n|}"
    )
    assert table.rows == [["x", "y", "y"], ["x", "p", "q"], ["1", "tall", "3"]]


def test_a_grouped_heading_above_the_header_is_not_the_header():
    table = only(
        "{|\n! rowspan=2 | Name !! colspan=2 | Contact\n|-\n! Mail !! Phone\n|-\n| A || a@x || 1\n|}"
    )
    assert table.headers == ["Name", "Mail", "Phone"]
    assert table.header_row == 2
    assert table.rows == [["A", "a@x", "1"]]
    assert table.row_number(0) == 3


def test_a_table_without_header_cells_takes_its_first_row():
    table = only("{|\n| Name || Kind\n|-\n| A || museum\n|}")
    assert table.headers == ["Name", "Kind"]
    assert table.rows == [["A", "museum"]]


def test_row_headers_in_data_rows_are_data():
    table = only("{|\n! Country !! Members\n|-\n! scope=row | Spain\n| 3\n|}")
    assert table.rows == [["Spain", "3"]]


def test_every_table_of_a_page_in_order_and_none_inside_a_cell():
    page = (
        "Intro\n{|\n! A\n|-\n| {{flag|x}}\n{|\n! Inner\n|-\n| no\n|}\n|}\n"
        "== Later ==\n{| class=wikitable\n! B\n|-\n| 2\n|}\n"
    )
    first, second = read_tables(page)
    assert (first.number, first.name, first.headers) == (1, "Table 1", ["A"])
    assert first.rows == [["x"]]
    assert (second.number, second.headers, second.rows) == (2, ["B"], [["2"]])
    assert read_tables("No tables here. {{Infobox|a=b}}") == []


def test_as_table_gives_rows_as_a_spreadsheet_sheet_does():
    table = as_table(
        only("{|\n! Name !! Year\n|-\n| A || 2001\n|-\n| ||\n|-\n| Total || 3\n|-\n| B ||\n|}"),
        sheets=["Table 1", "Table 2"],
    )
    assert (table.format, table.sheet, table.sheets) == ("wiki", "Table 1", ["Table 1", "Table 2"])
    rows = list(table.rows())
    assert [(row.number, row.values) for row in rows] == [(2, ["A", "2001"]), (5, ["B", None])]
    assert [(s.number, s.label) for s in table.skipped] == [(4, "Total")]


def test_as_table_refuses_a_header_twice_or_none():
    with pytest.raises(TabularError, match="appears twice"):
        as_table(only("{|\n! Name !! name\n|-\n| a || b\n|}"))
    with pytest.raises(TabularError, match="no column names"):
        as_table(only("{|\n! !!\n|-\n| a || b\n|}"))


def test_a_value_beyond_the_header_is_a_problem_of_its_row():
    rows = list(as_table(only("{|\n! Name\n|-\n| a || extra\n|}")).rows())
    assert [str(p.message) for p in rows[0].problems] == [
        "has a value in a column without a header."
    ]


def test_huge_spans_are_bounded():
    table = only('{|\n! A\n|-\n| colspan="100000" rowspan="100000" | x\n|-\n| y\n|}')
    assert len(table.rows[0]) == 250
    assert table.rows[1][0] == "x"
    assert len(table.rows) == 2


# Plain texts: any characters a person types (markup characters included, written escaped),
# spaces collapsed as the wiki shows them, line breaks inside a cell kept.
_line = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\u00a0"),
    max_size=12,
).map(lambda text: " ".join(text.split()))
_text = st.lists(_line, min_size=1, max_size=3).map(
    lambda lines: "\n".join(line for line in lines if line)
)


@st.composite
def grids(draw):
    width = draw(st.integers(1, 5))
    headers = draw(st.lists(_line.filter(bool), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_text, min_size=width, max_size=width), max_size=6))
    return headers, rows


@settings(max_examples=200, deadline=None)
@given(grid=grids(), caption=_line)
def test_any_grid_of_plain_texts_reads_back_as_written(grid, caption):
    headers, rows = grid
    table = only(write_wikitable(headers, rows, caption=caption))
    assert table.headers == headers
    assert table.rows == [list(row) for row in rows]
    assert table.caption == caption
