"""The directory's exports: the rows the page lists, read back by the hub's own reader."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.core.formulas import unneutralize
from hub.core.tabular import open_table
from hub.directory.exporting import ORGANIZATION_COLUMNS
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization

pytestmark = pytest.mark.django_db
EXPORT = reverse("directory:export")
LIST = reverse("directory:list")
HEADERS = [column.header for column in ORGANIZATION_COLUMNS]


def _read(client, tmp_path, fmt: str, query: str = "") -> list[dict]:
    response = client.get(f"{EXPORT}?format={fmt}{query}")
    assert response.status_code == 200
    assert response.streaming
    path = tmp_path / f"organizations.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    table = open_table(path, header_words=HEADERS)
    assert table.headers == HEADERS
    return [
        {
            k: "" if v is None else unneutralize(str(v))
            for k, v in zip(HEADERS, row.values, strict=False)
        }
        for row in table.rows()
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_each_format_reads_back_to_the_rows_the_page_lists(affiliate, client, fmt, tmp_path):
    OrganizationFactory(
        name="=Louvre-like Museum",
        local_name="Musée",
        country="FR",
        website="https://museum.example/",
        wikidata_id="Q42",
    )
    OrganizationFactory(name="School", kind="school", country="AT", status="former")
    for query in ("", "&kind=external", "&country=FR", "&q=school"):
        rows = _read(client, tmp_path, fmt, query)
        page = client.get(LIST + "?" + query.lstrip("&")).context["page"].object_list
        assert [row["name"] for row in rows] == [org.name for org in page]
    museum = next(r for r in _read(client, tmp_path, fmt) if r["name"].startswith("="))
    assert museum == {
        "name": "=Louvre-like Museum",
        "local_name": "Musée",
        "kind": "museum",
        "country": "FR",
        "website": "https://museum.example/",
        "short_code": "",
        "wikidata_id": "Q42",
        "status": Organization._meta.get_field("status").default,
    }
    chapter = next(r for r in _read(client, tmp_path, fmt) if r["name"] == affiliate.name)
    assert (chapter["kind"], chapter["short_code"]) == ("chapter", affiliate.short_code)


def test_a_formula_name_comes_out_neutralized(db, client, tmp_path):
    OrganizationFactory(name="@SUM(A1:A2)")
    response = client.get(f"{EXPORT}?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'@SUM(A1:A2)" in body
    assert "\n@SUM" not in body


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        b"".join(client.get(f"{EXPORT}?format=xlsx").streaming_content)
    return len(ctx.captured_queries)


def test_export_query_count_does_not_grow_with_the_rows(db, client):
    OrganizationFactory.create_batch(3)
    few = _queries(client)
    OrganizationFactory.create_batch(27)
    assert _queries(client) == few


def test_the_list_links_its_downloads_with_its_filters(db, client):
    html = client.get(LIST, {"kind": "external"}).content.decode()
    assert f'href="{EXPORT}?kind=external&amp;format=xlsx"' in html
