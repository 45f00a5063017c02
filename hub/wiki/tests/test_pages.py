"""Reading pages and their tables from a real MediaWiki (the session's test wiki)."""

import httpx
import pytest

from hub.core.tabular import TabularError
from hub.wiki.client import WikiClient, WikiError, page_wikitext
from hub.wiki.tables import page_tables

IBEROCOOP_HEADERS = [
    "Nombre",
    "Área de operación",
    "Fecha de reconocimiento",
    "Representantes",
    "Idioma",
    "Sitio web",
]


def current_revision(wiki, title):
    """The page's current revision id, asked of the wiki directly (not through the hub's client)."""
    answer = httpx.get(
        wiki.api_url,
        params={"action": "query", "prop": "info", "titles": title, "format": "json"},
    ).json()
    (page,) = answer["query"]["pages"].values()
    return page["lastrevid"]


def test_page_wikitext_gives_the_normalized_title_current_revision_text_and_address(wiki_allowed):
    title, revision, text, url = page_wikitext(wiki_allowed.api_url, "iberocoop")
    assert title == "Iberocoop"
    assert revision == current_revision(wiki_allowed, "Iberocoop")
    assert text.startswith("'''Iberocoop''' is a regional cooperation")
    assert url == f"{wiki_allowed.url}/index.php/Iberocoop"


def test_the_revision_is_the_current_one_after_an_edit(wiki_allowed):
    wiki_allowed.edit("Edited twice", "{|\n! A\n|-\n| first\n|}")
    first = WikiClient().page(wiki_allowed.api_url, "Edited twice")
    wiki_allowed.edit("Edited twice", "{|\n! A\n|-\n| second\n|}")
    second = WikiClient().page(wiki_allowed.api_url, "Edited twice")
    assert second.revision > first.revision
    assert second.revision == current_revision(wiki_allowed, "Edited twice")
    assert second.permalink == f"{wiki_allowed.url}/index.php?oldid={second.revision}"
    assert "second" in second.wikitext


def test_a_redirect_is_followed_and_says_where_it_came_from(wiki_allowed):
    page = WikiClient().page(wiki_allowed.api_url, "Iberocoop/Members")
    assert page.title == "Iberocoop"
    assert page.redirected_from == "Iberocoop/Members"
    assert page.revision == current_revision(wiki_allowed, "Iberocoop")


def test_a_missing_page_is_named_with_its_wiki(wiki_allowed):
    with pytest.raises(WikiError) as caught:
        page_wikitext(wiki_allowed.api_url, "Nobody wrote this")
    assert str(caught.value) == "127.0.0.1 has no page 'Nobody wrote this'."


def test_a_redirect_to_a_missing_page_names_both(wiki_allowed):
    with pytest.raises(WikiError) as caught:
        page_wikitext(wiki_allowed.api_url, "Redirect to nowhere")
    assert str(caught.value) == (
        "'Redirect to nowhere' on 127.0.0.1 redirects to 'No such page', which does not exist."
    )


def test_an_invalid_title_is_refused(wiki_allowed):
    for title in ("A|B", "[[Bracketed]]", ""):
        with pytest.raises(WikiError, match=r"is not a page title 127\.0\.0\.1 accepts"):
            page_wikitext(wiki_allowed.api_url, title)


def test_a_page_that_is_not_the_api_is_not_a_wiki(wiki_allowed):
    with pytest.raises(WikiError) as caught:
        page_wikitext(f"{wiki_allowed.url}/index.php?x=api.php", "Iberocoop")
    assert "did not answer like a MediaWiki wiki" in str(caught.value)


def test_the_iberocoop_members_table_reads_as_people_see_it(wiki_allowed):
    found = page_tables(wiki_allowed.api_url, "Iberocoop")
    assert found.page.title == "Iberocoop"
    assert found.names == ["Miembros de Iberocoop"]
    (members,) = found.tables
    assert members.headers == IBEROCOOP_HEADERS
    assert members.rows == [
        [
            "Wikimedia Argentina",
            "Argentina",
            "2007",
            "Example",
            "español",
            "wikimedia.org.ar",
        ],
        [
            "Amical Wikimedia",
            "España",
            "2013",
            "Example Two\nExample Three",
            "català",
            "https://www.wikimedia.cat",
        ],
        ["Wikimedia España", "España", "2011", "someone", "español", "https://www.wikimedia.es"],
        ["Wikimedia México", "México", "(no data)", "(no data)", "español", ""],
    ]
    assert members.links[0] == [
        ("Wikimedia Argentina",),
        (),
        (),
        ("User:Example",),
        (),
        ("https://www.wikimedia.org.ar",),
    ]
    assert members.links[2][0] == ("Wikimedia España",)
    assert members.links[2][5] == ("https://www.wikimedia.es",)


def test_a_page_table_reads_through_the_import_table(wiki_allowed):
    table = page_tables(wiki_allowed.api_url, "Iberocoop").table()
    assert table.format == "wiki"
    assert table.sheet == "Miembros de Iberocoop"
    assert table.headers == IBEROCOOP_HEADERS
    rows = list(table.rows())
    assert [row.number for row in rows] == [2, 3, 4, 5]
    assert rows[3].values == [
        "Wikimedia México",
        "México",
        "(no data)",
        "(no data)",
        "español",
        None,
    ]
    assert all(not row.problems for row in rows)


def test_two_tables_on_one_page_are_offered_like_sheets(wiki_allowed):
    found = page_tables(wiki_allowed.api_url, "Chapters and interactions")
    assert found.names == ["Table 1", "Table 2"]
    chapters, interactions = found.tables
    assert chapters.headers == [
        "country code",
        "Chapter",
        "Status",
        "Articles of Incorporation-Website",
        "Mailing list",
        "Contact",
        "Last update",
    ]
    assert chapters.rows == [
        ["XX", "Wikimedia Testland", "writing bylaws", "bylaws", "—", "User:Someone", "2016-05-01"]
    ]
    assert interactions.headers[0] == "Activity/Purpose of Meeting"
    assert [row[2] for row in interactions.rows] == ["National Library of Wales", "NLW"]
    assert [links[2] for links in interactions.links] == [
        ("National Library of Wales",),
        ("National Library of Wales",),
    ]
    second = found.table("table 2")
    assert second.sheets == ["Table 1", "Table 2"]
    assert [row.values[4] for row in second.rows()] == ["A, B", "C"]


def test_a_page_without_tables_or_an_unknown_table_is_said_plainly(wiki_allowed):
    with pytest.raises(TabularError, match=r"The page 'No tables' has no table\."):
        page_tables(wiki_allowed.api_url, "No tables").table()
    with pytest.raises(
        TabularError, match=r"no table named 'Table 3'\. Its tables: 'Table 1', 'Table 2'"
    ):
        page_tables(wiki_allowed.api_url, "Chapters and interactions").table("Table 3")
