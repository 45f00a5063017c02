"""The registry's exports: the rows the page lists, read back by the hub's own reader."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.core.formulas import unneutralize
from hub.core.tabular import open_table
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships.exporting import PARTNERSHIP_COLUMNS, link_items, partner_items
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Theme, WikimediaProject
from hub.partnerships.services import ParticipantSpec

pytestmark = pytest.mark.django_db
EXPORT = reverse("partnerships:export")
LIST = reverse("partnerships:list")
HEADERS = [
    "id",
    "title",
    "description",
    "lead",
    "partners",
    "goals",
    "structure",
    "status",
    "scope",
    "start_date",
    "end_date",
    "projects",
    "themes",
    "links",
    "visibility",
]


@pytest.fixture
def registry(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Museum (Berlin); Annex", country="DE")
    school = OrganizationFactory(name="=School", kind="school")
    commons, _ = WikimediaProject.objects.get_or_create(
        code="commons", defaults={"name": "Commons"}
    )
    wikidata, _ = WikimediaProject.objects.get_or_create(
        code="wikidata", defaults={"name": "Wikidata"}
    )
    glam = Theme.objects.create(name="GLAM", slug="glam")
    return {
        "content": make_partnership(
            lead=affiliate,
            partners=[ParticipantSpec(museum, "host"), ParticipantSpec(school, "funder")],
            title='=HYPERLINK("https://evil.example")',
            description="two\nlines",
            goals=["content", "funding"],
            structure="complex",
            status="active",
            scope="national",
            start_date=datetime.date(2016, 3, 1),
            end_date=datetime.date(2017, 1, 1),
            projects=[commons, wikidata],
            themes=[glam],
            links=[
                ("Report; final", "https://example.org/report?a=1;b=2"),
                ("", "https://x.example"),
            ],
        ),
        "other": make_partnership(
            lead=other_affiliate,
            partners=[museum],
            title="Advocacy abroad",
            goals=["advocacy"],
            status="completed",
            start_date=datetime.date(2019, 1, 1),
        ),
        "private": make_partnership(
            lead=affiliate,
            partners=[school],
            title="Secret deal",
            goals=["funding"],
            visibility="private",
        ),
    }


def _read(client, tmp_path, fmt: str, query: str = "") -> list[dict]:
    """The export as the hub's own reader (the imports' reader) gives it back."""
    response = client.get(f"{EXPORT}?format={fmt}{query}")
    assert response.status_code == 200
    assert response.streaming
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    table = open_table(path, header_words=HEADERS)
    assert table.headers == HEADERS
    return [dict(zip(table.headers, row.values, strict=False)) for row in table.rows()]


def _cell(value) -> str:
    """A read-back cell as text: dates as ISO, text un-neutralized, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralize(str(value))


def _as_text(rows: list[dict]) -> list[dict]:
    return [{key: _cell(value) for key, value in row.items()} for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_each_format_reads_back_to_the_rows_the_page_lists(
    registry, client_for, viewer, fmt, tmp_path
):
    client = client_for(viewer)
    for query in ("", "&goal=content", "&status=completed", "&sort=title"):
        rows = _as_text(_read(client, tmp_path, fmt, query))
        page = client.get(LIST + "?" + query.lstrip("&")).context["page"].object_list
        assert [row["title"] for row in rows] == [p.title for p in page]
    content = next(r for r in _as_text(_read(client, tmp_path, fmt)) if r["title"].startswith("="))
    partnership = registry["content"]
    assert content == {
        "id": str(partnership.pk),
        "title": partnership.title,
        "description": "two\nlines",
        "lead": partnership.lead.short_code,
        "partners": "Museum (Berlin);; Annex (host); =School (funder)",
        "goals": "funding; content",
        "structure": "complex",
        "status": "active",
        "scope": "national",
        "start_date": "2016-03-01",
        "end_date": "2017-01-01",
        "projects": "commons; wikidata",
        "themes": "GLAM",
        "links": "Report;; final <https://example.org/report?a=1;;b=2>; https://x.example <https://x.example>",
        "visibility": "public",
    }
    assert partner_items(content["partners"]) == [
        ("Museum (Berlin); Annex", "host"),
        ("=School", "funder"),
    ]
    assert link_items(content["links"]) == [
        ("Report; final", "https://example.org/report?a=1;b=2"),
        ("https://x.example", "https://x.example"),  # the hub labels a bare link by its address
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_a_formula_cell_comes_out_neutralized(registry, client_for, fmt, tmp_path):
    rows = _read(client_for(None), tmp_path, fmt)
    titles = [row["title"] for row in rows]
    assert '\'=HYPERLINK("https://evil.example")' in titles
    assert not any(str(v).startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


def test_an_outsider_export_has_no_private_partnership(
    registry, client_for, outsider, viewer, tmp_path
):
    for user in (None, outsider):
        titles = {row["title"] for row in _read(client_for(user), tmp_path, "csv")}
        assert "Secret deal" not in titles
        assert "Advocacy abroad" in titles
    assert "Secret deal" in {row["title"] for row in _read(client_for(viewer), tmp_path, "csv")}
    # Asking for it by its visibility changes nothing.
    assert _read(client_for(outsider), tmp_path, "xlsx", "&visibility=private") == []


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{EXPORT}?format=csv{query}")
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", [None, "viewer"])
def test_export_query_count_does_not_grow_with_the_rows(client_for, request, affiliate, persona):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    theme = Theme.objects.create(name="Archives", slug="archives")

    def add(count: int, prefix: str) -> None:
        for n in range(count):
            make_partnership(
                lead=affiliate,
                title=f"{prefix}{n}",
                partners=[OrganizationFactory(), AffiliateFactory()],
                themes=[theme],
                links=[("Page", f"https://example.org/{prefix}{n}")],
            )

    add(3, "A")
    few = _queries(client, "&goal=content")
    add(27, "B")
    assert _queries(client, "&goal=content") == few


def test_the_columns_are_the_documented_ones():
    assert [column.header for column in PARTNERSHIP_COLUMNS] == HEADERS


def test_the_list_links_its_downloads_with_its_filters(registry, client):
    html = client.get(LIST, {"goal": "content"}).content.decode()
    for fmt in ("csv", "xlsx", "ods"):
        assert f'href="{EXPORT}?goal=content&amp;format={fmt}"' in html
