"""hub.core.tabular reading a stored wiki page (a `.wikitext` file): its tables offered as a
workbook's sheets, the one with a known header chosen, and hostile pages refused in plain words."""

from pathlib import Path

import pytest

from hub.core.tabular import (
    Limits,
    TabularError,
    count_rows,
    list_sheets,
    open_table,
    sheet_names,
)

WORDS = ["nombre", "area de operacion", "idioma"]

# Two tables, as on Meta: a small one first, then the members list (links, a flag template,
# a header row of ! cells, a caption naming it)
PAGE = """\
Intro text with a [[link]] and {{template|x}}.

{| class="wikitable"
! Year !! Event
|-
| 2012 || Founding meeting
|}

== Members ==
{| class="wikitable sortable"
|+ Miembros
! Nombre !! Área de operación !! Idioma
|-
| [[Wikimedia Argentina|WMAR]] || {{flag|Argentina}} || español
|-
| '''Amical Wikimedia''' || España<ref>a note</ref> || català
|-
| [[Wikimedia España]] || {{flag|Spain}} || español
|}
"""


def stored(tmp_path: Path, text: str, name: str = "Iberocoop.wikitext") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(table) -> dict[int, list]:
    return {row.number: row.values for row in table.rows()}


def test_the_table_with_a_known_header_is_read_and_the_tables_are_its_sheets(tmp_path):
    table = open_table(stored(tmp_path, PAGE), header_words=WORDS)
    assert (table.format, table.sheet, table.sheets) == (
        "wikitext",
        "Miembros",
        ["Table 1", "Miembros"],
    )
    assert table.headers == ["Nombre", "Área de operación", "Idioma"]
    assert rows_of(table) == {
        2: ["WMAR", "Argentina", "español"],
        3: ["Amical Wikimedia", "España", "català"],
        4: ["Wikimedia España", "Spain", "español"],
    }


def test_without_header_words_the_first_table_is_read(tmp_path):
    table = open_table(stored(tmp_path, PAGE))
    assert (table.sheet, table.headers) == ("Table 1", ["Year", "Event"])
    assert rows_of(table) == {2: ["2012", "Founding meeting"]}


def test_a_table_is_chosen_by_its_name_ignoring_case_and_spacing(tmp_path):
    path = stored(tmp_path, PAGE)
    assert open_table(path, header_words=WORDS, sheet="table  1").sheet == "Table 1"
    assert open_table(path, sheet="MIEMBROS").headers[0] == "Nombre"


def test_an_unknown_table_is_refused_naming_the_tables_there_are(tmp_path):
    with pytest.raises(TabularError) as caught:
        open_table(stored(tmp_path, PAGE), sheet="Socios")
    assert str(caught.value) == (
        "The wiki page has no table named 'Socios'. Its tables: 'Table 1', 'Miembros'."
    )


def test_a_page_without_tables_is_refused_naming_the_page(tmp_path):
    # stored under a name of the hub's own; the title (with its slash and dot) is the given name
    path = stored(tmp_path, "Just text, {{and|a template}}.", name="stored.wikitext")
    with pytest.raises(TabularError, match=r"The wiki page 'Wikimedia\.de/Partners' has no table"):
        open_table(path, name="Wikimedia.de/Partners.wikitext")
    assert list_sheets(path) == []


def test_the_tables_are_listed_and_counted_as_sheets_are(tmp_path):
    path = stored(tmp_path, PAGE)
    assert sheet_names(path) == ["Table 1", "Miembros"]
    assert [(s.name, s.index, s.worksheet, s.hidden) for s in list_sheets(path)] == [
        ("Table 1", 0, True, False),
        ("Miembros", 1, True, False),
    ]
    assert count_rows(path, "wikitext", "Miembros") == 3
    assert count_rows(path, "wikitext", "Table 1") == 1
    assert count_rows(path, "wikitext") == 1  # the first, as for a workbook


def test_a_changed_file_is_read_again_not_served_from_what_was_parsed(tmp_path):
    path = stored(tmp_path, PAGE)
    assert sheet_names(path) == ["Table 1", "Miembros"]
    path.write_text("{|\n|+ Only\n! A\n|-\n| 1\n|-\n| 2\n|}\n", encoding="utf-8")
    assert sheet_names(path) == ["Only"]
    assert count_rows(path, "wikitext", "Only") == 2


def test_markup_that_begins_with_a_tag_is_still_a_page(tmp_path):
    path = stored(tmp_path, "<noinclude>{{Header}}</noinclude>\n" + PAGE)
    assert open_table(path, header_words=WORDS).sheet == "Miembros"


def test_a_page_larger_than_the_limit_is_refused_before_parsing(tmp_path):
    path = stored(tmp_path, PAGE + "x" * 5000)
    with pytest.raises(
        TabularError, match=r"The wiki page is 5 KB; the hub reads pages up to 4 KB"
    ):
        open_table(path, limits=Limits(max_wikitext_bytes=4096))


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ("Seite".encode("utf-16"), "not UTF-8"),
        (b"PK\x03\x04" + b"\x00" * 200, "a ZIP archive"),
        (b"%PDF-1.4 " + b"\x00" * 20, "a PDF document"),
        (b"", "The file is empty"),
    ],
)
def test_what_is_no_page_text_is_refused_in_plain_words(tmp_path, content, phrase):
    path = tmp_path / "Page.wikitext"
    path.write_bytes(content)
    with pytest.raises(TabularError, match=phrase):
        open_table(path)


# What a hostile or broken page holds, and what the hub makes of it: the table's headers, or the
# words of its refusal. Never another exception, which the import page could only call damage.
HOSTILE = {
    "nested tables": ("{|\n! A\n|-\n| " * 300 + "x" + "\n|}" * 300, ["A"]),
    # mwparserfromhell reads a table without its |} as text (MediaWiki would close it)
    "unclosed tables": ("{|\n! A !! B\n|-\n| 1 || 2\n" * 200, "has no table"),
    "templates nested deep": ("{|\n! A\n|-\n| " + "{{a|" * 3000 + "}}" * 3000 + "\n|}", ["A"]),
    "unclosed links": ("{|\n! A\n|-\n| " + "[[" * 20000 + "\n|}", ["A"]),
    "a header of empty cells": ("{|\n! !! !!\n|-\n| a || b\n|}", "no column names"),
    "a header twice": ("{|\n! Name !! name\n|-\n| a || b\n|}", "appears twice"),
    "huge spans": ('{|\n! A\n|-\n| rowspan="99999" colspan="99999" | x\n|}', ["A"]),
    "a parser function as header": ("{|\n! {{#if:x|A|B}}\n|-\n| 1\n|}", "no column names"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_page_is_read_or_refused_in_words(tmp_path, name):
    text, expected = HOSTILE[name]
    path = stored(tmp_path, text)
    if isinstance(expected, str):
        with pytest.raises(TabularError, match=expected):
            open_table(path)
    else:
        table = open_table(path)
        assert table.headers == expected
        assert all(len(row.values) == len(expected) for row in table.rows())
    assert count_rows(path, "wikitext") <= text.count("|-")


def test_the_outer_table_of_nested_ones_is_the_only_sheet(tmp_path):
    path = stored(tmp_path, HOSTILE["nested tables"][0])
    assert sheet_names(path) == ["Table 1"]
    assert open_table(path).headers == ["A"]


def test_a_page_of_thousands_of_tables_lists_each_in_order(tmp_path):
    # the walk for the outer tables is linear: asking each table for its ancestors took minutes
    page = "".join(f"{{|\n|+ T{n}\n! A\n|-\n| {n}\n|}}\n" for n in range(3000))
    path = stored(tmp_path, page)
    names = sheet_names(path)
    assert (len(names), names[0], names[-1]) == (3000, "T0", "T2999")
    assert rows_of(open_table(path, sheet="T2999")) == {2: ["2999"]}
