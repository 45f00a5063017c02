import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hub.directory.factories import AffiliateFactory
from hub.mapping import figures
from hub.mapping.figures import FilterSet
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


class Tables(HTMLParser):
    """Collects each figure's table: {figure name: {row key: [cell texts]}} and its links."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.figure = None
        self.row = None
        self.cell = None
        self.links: list[tuple[str, str]] = []
        self.href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "data-figure" in attrs:
            self.figure = {"name": attrs["data-figure"], "rows": {}, "total": None}
            self.figures.append(self.figure)
        elif tag == "tr" and "data-key" in attrs and self.figure is not None:
            self.row = self.figure["rows"].setdefault(attrs["data-key"], [])
        elif tag == "td" and self.row is not None and "data-value" in attrs:
            self.row.append(int(attrs["data-value"]))
        elif tag == "td" and "data-total" in attrs and self.figure is not None:
            self.figure["total"] = int(attrs["data-total"])
        elif tag == "a" and self.row is not None:
            self.href = attrs.get("href")

    def handle_data(self, data):
        if self.href and data.strip():
            self.links.append((self.href, data.strip()))
            self.href = None

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
        elif tag == "figure":
            self.figure = None
        elif tag == "a":
            self.href = None


def tables(html: str, panel: int = 0) -> dict:
    parser = Tables()
    parser.feed(html)
    per_panel = len(parser.figures) // max(1, html.count('class="mapping-panel"'))
    chosen = parser.figures[panel * per_panel : (panel + 1) * per_panel]
    return {f["name"]: f for f in chosen}


def list_count(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    match = re.search(r'class="result-count">\s*(\d+) partnerships?', html)
    assert match, url
    return int(match.group(1))


def test_mapping_page_shows_both_figures_with_inline_svg_tables_and_downloads(client, registry):
    response = client.get("/mapping/")
    assert response.status_code == 200
    html = response.content.decode()
    found = tables(html)
    goals = found["goals"]["rows"]
    assert goals["content"] == [1]
    assert goals["content+advocacy"] == [1]
    assert goals["funding"] == [1]
    assert goals["advocacy"] == [1]
    assert goals["funding+content+advocacy"] == [0]  # the private one is not counted
    assert goals["none"] == [0]
    assert found["goals"]["total"] == 4
    quadrants = found["structure"]["rows"]
    assert quadrants == {
        "simple+internal": [1],
        "complex+internal": [0],
        "simple+external": [2],
        "complex+external": [1],
    }
    # one SVG per chart: the page's stylesheet recolours it in dark mode
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert '<link rel="stylesheet" href="/static/hub/chart-dark-mode.css">' in html
    assert 'role="img"' in html
    assert "/mapping/goals.svg" in html
    assert "/mapping/structure.png" in html
    assert "/mapping/goals.csv" in html
    # the summary is computed from the numbers
    assert "50% serve content for Wikimedia projects;" in html
    assert "25% serve funding or resources alone" in html


def test_structure_map_links_each_partnership_when_few(client, registry):
    html = client.get("/mapping/").content.decode()
    for p in Partnership.objects.filter(visibility="public"):
        assert f'xlink:href="/partnerships/{p.pk}/"' in html
    secret = Partnership.objects.get(title="Secret")
    assert f"/partnerships/{secret.pk}/" not in html


def test_outsider_totals_exclude_private_records_a_member_sees(
    client_for, registry, viewer, outsider
):
    member = tables(client_for(viewer).get("/mapping/").content.decode())
    other = tables(client_for(outsider).get("/mapping/").content.decode())
    assert member["goals"]["total"] == 5
    assert other["goals"]["total"] == 4
    assert member["goals"]["rows"]["funding+content+advocacy"] == [1]
    assert other["goals"]["rows"]["funding+content+advocacy"] == [0]
    member_csv = client_for(viewer).get("/mapping/goals.csv").content.decode()
    outsider_csv = client_for(outsider).get("/mapping/goals.csv").content.decode()
    assert (
        "funding+content+advocacy,Funding / resources + Content for Wikimedia projects + Advocacy / outreach,1,20.0"
        in member_csv
    )
    assert ",0,0.0" in outsider_csv.splitlines()[7]
    # the dashboard too
    member_status = tables(client_for(viewer).get("/dashboard/").content.decode())["statuses"]
    anonymous_status = tables(Client().get("/dashboard/").content.decode())["statuses"]
    assert member_status["rows"]["active"] == [4]
    assert anonymous_status["rows"]["active"] == [3]


def test_filters_change_the_figures_and_are_kept_in_links(client, registry):
    html = client.get("/mapping/?country=KE").content.decode()
    found = tables(html)
    assert found["goals"]["total"] == 1  # the public library partnership
    assert found["goals"]["rows"]["content+advocacy"] == [1]
    assert "/mapping/goals.csv?country=KE" in html
    assert "/dashboard/?country=KE" in html
    assert '<option value="KE" selected>Kenya</option>' in html  # the form keeps the filter


def test_every_number_links_to_the_registry_list_with_that_many(client, registry, affiliate):
    for url in ("/mapping/", "/dashboard/", f"/dashboard/?organization={affiliate.pk}"):
        parser = Tables()
        parser.feed(client.get(url).content.decode())
        assert parser.links, url
        for href, text in parser.links:
            if href.startswith("/partnerships/?"):
                assert list_count(client, href) == int(text), (url, href)


def test_region_kind_and_started_filters_work_on_the_registry_list(client, registry):
    assert list_count(client, "/partnerships/?region=africa") == 1
    assert list_count(client, "/partnerships/?region=europe") == 4  # the affiliates' country
    assert list_count(client, "/partnerships/?partner_kind=government") == 1
    assert list_count(client, "/partnerships/?started=2016") == 2


def test_comparison_shows_two_sets_side_by_side(client, registry):
    response = client.get("/mapping/?compare=1&b-country=BR&b-status=completed")
    html = response.content.decode()
    assert html.count('class="mapping-panel"') == 2
    a, b = tables(html, 0), tables(html, 1)
    assert a["goals"]["total"] == 4
    assert b["goals"]["total"] == 1
    assert b["goals"]["rows"]["funding"] == [1]
    # the second set's downloads take its filters without the prefix
    assert "/mapping/goals.csv?status=completed&amp;country=BR" in html or (
        "/mapping/goals.csv?country=BR&amp;status=completed" in html
    )
    assert 'name="b-country"' in html


def test_downloads_are_svg_png_and_csv_with_the_same_numbers(client, registry):
    svg = client.get("/mapping/goals.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").get("id") == title_id
    desc = root.find(f"{ns}desc")
    assert desc.get("id") == desc_id
    assert "Content for Wikimedia projects only: 1 (25%)" in desc.text
    texts = "".join(root.itertext())
    assert "25%" in texts
    png = client.get("/mapping/structure.png")
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/statuses.csv").content.decode())))
    assert rows[0] == ["key", "Status", "Partnerships", "Share (%)"]
    assert {r[0]: int(r[2]) for r in rows[1:]}["active"] == 3
    dark = client.get("/dashboard/regions.svg?mode=dark").content.decode()
    assert "#101418" in dark


def test_unknown_chart_or_format_is_404(client):
    assert client.get("/mapping/nothing.svg").status_code == 404
    assert client.get("/mapping/goals.pdf").status_code == 404
    assert client.get("/dashboard/goals.svg").status_code == 404


def test_bad_filter_values_give_a_notice_not_an_error(client, registry):
    response = client.get("/mapping/?year_from=abc&status=nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ignored the filter" in html
    assert tables(html)["goals"]["total"] == 4


def test_comparison_notices_name_the_second_sets_values(client, registry):
    html = client.get("/mapping/?b-year_from=abc").content.decode()
    assert "“abc”" in html


def test_dashboard_counts(client, registry):
    found = tables(client.get("/dashboard/").content.decode())
    assert found["started"]["rows"] == {"2016": [2, 1, 1, 0], "2018": [1, 0, 1, 1]}
    assert found["kinds"]["rows"] == {"museum": [2], "library": [1]}
    assert found["countries"]["rows"]["AT"] == [3]  # the affiliates are in Austria too
    assert found["countries"]["rows"]["KE"] == [1]
    assert found["regions"]["rows"]["africa"] == [1]
    assert found["regions"]["rows"]["latin_america"] == [0]  # the ministry's one is completed
    assert found["organizations"]["rows"] == {
        str(registry["museum"].pk): [2],
        str(registry["library"].pk): [1],
        str(registry["ministry"].pk): [1],
    }


def test_each_figure_is_one_query(affiliate, registry, anonymous):
    fs = FilterSet.read(Client().get("/").wsgi_request.GET)
    for name, build in figures.FIGURES.items():
        with CaptureQueriesContext(connection) as queries:
            build(anonymous, fs)
        # the structure map adds the few marks; running charts and the top list add a total
        allowed = (
            2 if name in {"structure", "kinds", "countries", "regions", "organizations"} else 1
        )
        assert len(queries) <= allowed, (name, [q["sql"] for q in queries])


def test_mapping_page_needs_no_chart_renderer_and_dashboard_renders_once(
    client, registry, monkeypatch, django_capture_on_commit_callbacks
):
    import vl_convert

    calls = []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(
        vl_convert, "vegalite_to_svg", lambda spec, *a, **k: calls.append(1) or real(spec, *a, **k)
    )
    html = client.get("/mapping/").content.decode()
    assert calls == []  # the goal diagram and the structure map are written by the hub itself
    assert html.count('class="hub-chart"') == 2
    client.get("/dashboard/")
    first = len(calls)
    assert first == 6  # one SVG per dashboard chart serves light and dark
    client.get("/dashboard/")
    assert len(calls) == first
    with django_capture_on_commit_callbacks(execute=True):  # the write commits
        make_partnership(lead=AffiliateFactory(), goals=["funding"])
    client.get("/dashboard/")
    # new data: the charts whose numbers changed are drawn again (the top list's stay the same)
    assert first < len(calls) <= first + 6


def test_unchanged_page_is_read_from_the_cache_in_one_query(
    client, registry, django_capture_on_commit_callbacks
):
    first = client.get("/mapping/?compare=1&b-country=KE").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/mapping/?compare=1&b-country=KE").content.decode()
    assert again.split('class="mapping-panels"')[1] == first.split('class="mapping-panels"')[1]
    cache_reads = [q for q in queries if "hub_cache" in q["sql"]]
    assert len(cache_reads) == 1  # both panels and the filter form
    assert not [q for q in queries if 'partnerships_partnership" WHERE' in q["sql"]]
    # a write moves the figures' generation when it commits: the page shows the new numbers at once
    with django_capture_on_commit_callbacks(execute=True):
        make_partnership(lead=AffiliateFactory(), goals=["funding"], title="New one")
    changed = tables(client.get("/mapping/?compare=1&b-country=KE").content.decode(), 0)
    assert changed["goals"]["rows"]["funding"] == [
        tables(first, 0)["goals"]["rows"]["funding"][0] + 1
    ]


def test_demo_data_counts_agree_with_the_registry(client):
    call_command("load_demo", stdout=io.StringIO())
    found = tables(client.get("/mapping/").content.decode())
    public = Partnership.objects.filter(visibility="public")
    assert found["goals"]["total"] == public.count()
    for key, goals in figures.GOAL_REGIONS:
        expected = sum(1 for p in public if set(p.goals) == set(goals))
        assert found["goals"]["rows"][key] == [expected]
    rows = list(csv.reader(io.StringIO(client.get("/mapping/structure.csv").content.decode())))
    for row in rows[1:]:
        structure, direction = row[0].split("+")
        assert int(row[2]) == public.filter(structure=structure, direction=direction).count()


def test_the_dark_stylesheet_the_pages_link_is_the_one_the_palettes_give():
    from django.contrib.staticfiles import finders

    from hub.core import charts

    path = finders.find(charts.DARK_MODE_STYLESHEET)
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == charts.dark_mode_stylesheet(), charts.dark_mode_stylesheet.__doc__
    assert '.hub-chart [fill="#202122"] { fill: #eaecf0; }' in charts.dark_mode_stylesheet()


def test_dark_stylesheet_swaps_every_light_token_for_its_dark_one():
    from hub.core import charts

    css = charts.dark_mode_css()
    assert css.startswith("@media (prefers-color-scheme: dark)")
    light, dark = charts.PALETTES["light"], charts.PALETTES["dark"]
    pairs = [
        (light.text, dark.text),
        (light.background, dark.background),
        (light.subtle, dark.subtle),
        (light.border, dark.border),
        *zip(light.categories, dark.categories, strict=True),
        *zip(light.fills, dark.fills, strict=True),
    ]
    for old, new in pairs:
        assert f'.hub-chart [fill="{old}"] {{ fill: {new}; }}' in css
        assert f'.hub-chart [stroke="{old}"] {{ stroke: {new}; }}' in css
