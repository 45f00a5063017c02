"""Page and API scenarios: what a visitor reads, each answer checked for its status and content."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlencode

from django.utils.html import escape

from bench.loadgen import Request
from bench.scenarios import Context, PagePlan, Target, Unavailable, scenario

SEED = 6
RESULT_COUNT = 'class="result-count"'

MAP_WARM = Target(
    "p95_ms", 150, "p95 ≤ 150 ms, warm cache, at 200,000 partnerships", "issue 3", "M"
)
MAP_COLD = Target("ratio_p50", 2.0, "≤ 2× the bare SQL, cold cache", "issue 3", "M")
API_P95 = Target("p95_ms", 30, "p95 ≤ 30 ms for 50 items at M", "issue 5", "M")
API_FIXED = Target("fixed_queries", 0, "same query count for 10 and 50 items", "issue 5")
INFOGRAPHIC = Target(
    "p95_ms", 150, "p95 ≤ 150 ms cached, a year of 1,000,000 contributions", "issue 4", "M"
)


def _n(ctx: Context, normal: int, quick: int = 3) -> int:
    return quick if ctx.quick else normal


def _top_leads(k: int) -> list[Any]:
    from django.db.models import Count

    from hub.directory.models import Organization

    return list(
        Organization.objects.movement()
        .annotate(n=Count("led_partnerships"))
        .order_by("-n", "pk")[:k]
    )


def _public_partnerships(k: int) -> list[Any]:
    from hub.partnerships.models import Partnership

    ids = list(
        Partnership.objects.filter(visibility="public").order_by("pk").values_list("pk", flat=True)
    )
    chosen = random.Random(SEED).sample(ids, k=min(k, len(ids)))
    return list(Partnership.objects.filter(pk__in=chosen).order_by("pk"))


@scenario("registry_list", "Registry list with filters")
def registry_list(ctx: Context) -> PagePlan:
    from django.db.models import Count

    from hub.directory.models import Organization
    from hub.partnerships.models import Theme

    lead = _top_leads(1)[0]
    theme = Theme.objects.annotate(n=Count("partnerships")).order_by("-n").first()
    country = (
        Organization.objects.exclude(country="")
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    queries = [
        "",
        "status=active&goal=content",
        "scope=national&structure=complex&sort=title",
        urlencode({"organization": lead.pk}),
        "year_from=2018&year_to=2020&goal=funding&goal=advocacy&goal_match=all",
        urlencode({"country": country["country"]}) if country else "direction=internal",
        urlencode({"theme": theme.slug}) if theme else "project=commons",
        "status=completed&page=3",
    ]
    return PagePlan(
        [Request(f"/partnerships/?{q}", RESULT_COUNT) for q in queries[: _n(ctx, 8, 3)]]
    )


@scenario("organization_page", "Organization page (busiest and ordinary)")
def organization_page(ctx: Context) -> PagePlan:
    from hub.directory.models import Organization

    orgs = _top_leads(_n(ctx, 4, 2))
    ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    picked = random.Random(SEED).sample(ids, k=min(_n(ctx, 6, 1), len(ids)))
    orgs += list(Organization.objects.filter(pk__in=picked))
    return PagePlan(
        [Request(f"/organizations/{org.pk}/", f"<h1>{escape(org.name)}") for org in orgs]
    )


@scenario("partnership_page", "Partnership page")
def partnership_page(ctx: Context) -> PagePlan:
    return PagePlan(
        [
            Request(f"/partnerships/{p.pk}/", f"<h1>{escape(p.title)}</h1>")
            for p in _public_partnerships(_n(ctx, 12, 3))
        ]
    )


@scenario("text_search", "Text search in the registry (q)")
def text_search(ctx: Context) -> PagePlan:
    from bench.generate import SEARCH_WORD

    words = [SEARCH_WORD, "Музей", "متحف", "博物館", "Zürich", "संग्रहालय"]
    return PagePlan(
        [
            Request("/partnerships/?" + urlencode({"q": w}), RESULT_COUNT)
            for w in words[: _n(ctx, 6, 2)]
        ]
    )


# --- mapping (issue 3) ---------------------------------------------------------------------------


def _mapping_queries(ctx: Context) -> list[str]:
    lead = _top_leads(1)[0]
    queries = ["", f"organization={lead.pk}", "year_from=2016&year_to=2016", "status=active"]
    return queries[: _n(ctx, 4, 2)]


def _mapping_charts() -> tuple[list[str], list[str]]:
    try:
        from hub.mapping import figures, views
    except ImportError as exc:
        raise Unavailable("the mapping page is not in this build") from exc
    names = list(getattr(figures, "MAPPING", {}))
    formats = list(getattr(views, "FORMATS", {}))
    if not names:
        raise Unavailable("the mapping charts are not in this build")
    return names, formats


def _url(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _mapping_page(ctx: Context, cold: bool) -> PagePlan:
    _mapping_charts()
    requests = [Request(_url("/mapping/", q), "<svg") for q in _mapping_queries(ctx)]
    return PagePlan(requests, cold=cold, floor_exclude="hub_cache")


def _chart_downloads(ctx: Context, cold: bool) -> PagePlan:
    names, formats = _mapping_charts()
    expect = {"svg": "<svg", "png": "PNG", "csv": ","}
    requests = [
        Request(_url(f"/mapping/{name}.{fmt}", q), expect.get(fmt))
        for q in _mapping_queries(ctx)[:2]
        for name in names
        for fmt in formats
    ]
    return PagePlan(requests, cold=cold, floor_exclude="hub_cache")


@scenario("mapping_warm", "Mapping page, warm cache", targets=[MAP_WARM], group="mapping")
def mapping_warm(ctx: Context) -> PagePlan:
    return _mapping_page(ctx, cold=False)


@scenario("mapping_cold", "Mapping page, cold cache", targets=[MAP_COLD], group="mapping")
def mapping_cold(ctx: Context) -> PagePlan:
    return _mapping_page(ctx, cold=True)


@scenario("charts_warm", "Chart downloads (SVG/PNG/CSV), warm", targets=[MAP_WARM], group="mapping")
def charts_warm(ctx: Context) -> PagePlan:
    return _chart_downloads(ctx, cold=False)


@scenario("charts_cold", "Chart downloads (SVG/PNG/CSV), cold", targets=[MAP_COLD], group="mapping")
def charts_cold(ctx: Context) -> PagePlan:
    return _chart_downloads(ctx, cold=True)


@scenario("dashboard_warm", "Movement dashboard, warm cache", targets=[MAP_WARM], group="mapping")
def dashboard_warm(ctx: Context) -> PagePlan:
    _mapping_charts()
    return PagePlan([Request("/dashboard/", "<svg")], floor_exclude="")


# --- in-kind infographic (issue 4) ------------------------------------------------------------------


@scenario("infographic", "In-kind infographic (cached)", targets=[INFOGRAPHIC], group="funding")
def infographic(ctx: Context) -> PagePlan:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("funding:infographic")
    except NoReverseMatch as exc:
        raise Unavailable("the in-kind infographic is not in this build") from exc
    lead = _top_leads(1)[0]
    year = 2025
    queries = [f"year={year}", f"organization={lead.pk}&year={year}"]
    return PagePlan([Request(_url(path, q), "<svg") for q in queries[: _n(ctx, 2, 1)]])


# --- the API (issue 5) ------------------------------------------------------------------------------


def _api_path(name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"api:{name}")
    except NoReverseMatch as exc:
        raise Unavailable("the REST API is not in this build") from exc


# A list answer must hold at least one item: an empty page is not a measured list.
API_ITEMS = '"items": [{"id": '


def _api_list(ctx: Context, name: str, queries: list[str]) -> PagePlan:
    path = _api_path(name)
    return PagePlan([Request(_url(path, q), API_ITEMS) for q in queries[: _n(ctx, 3, 1)]])


@scenario("api_list", "API: partnership list, 50 items", targets=[API_P95, API_FIXED], group="api")
def api_list(ctx: Context) -> PagePlan:
    return _api_list(
        ctx,
        "partnership_list",
        ["limit=50", "limit=50&status=active", "limit=50&goal=content&scope=national"],
    )


@scenario(
    "api_organizations",
    "API: organization list, 50 items",
    targets=[API_P95, API_FIXED],
    group="api",
)
def api_organizations(ctx: Context) -> PagePlan:
    from django.db.models import Count

    from hub.directory.models import Organization

    country = (
        Organization.objects.exclude(country="")
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return _api_list(
        ctx,
        "organization_list",
        [
            "limit=50",
            "limit=50&kind=museum&status=active",
            urlencode({"limit": 50, "country": country["country"]})
            if country
            else "limit=50&q=Wiki",
        ],
    )


@scenario(
    "api_contributions",
    "API: in-kind contribution list, 50 items",
    targets=[API_P95, API_FIXED],
    group="api",
)
def api_contributions(ctx: Context) -> PagePlan:
    lead = _top_leads(1)[0]
    return _api_list(
        ctx,
        "contribution_list",
        [
            "limit=50",
            urlencode({"limit": 50, "organization": lead.pk, "year": 2025}),
            "limit=50&category=catering&sort=-value",
        ],
    )


@scenario("api_detail", "API: partnership detail", group="api")
def api_detail(ctx: Context) -> PagePlan:
    from django.urls import NoReverseMatch, reverse

    requests = []
    for p in _public_partnerships(_n(ctx, 12, 3)):
        try:
            path = reverse("api:partnership_detail", args=[p.pk])
        except NoReverseMatch as exc:
            raise Unavailable("the REST API is not in this build") from exc
        requests.append(Request(path, f'{{"id": {p.pk}, '))
    return PagePlan(requests)
