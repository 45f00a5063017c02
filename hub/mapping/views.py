"""The mapping page, the movement dashboard and their chart downloads.

Read-only pages: every number is computed for the viewer (`visible_to`) and the filters in the URL.

While the data are unchanged, a page is put together from HTML kept in the cache: each panel (its
figures, charts, tables and links) under the key of its figures, which holds the viewer's scope, the
filters, the language and the data fingerprint, and the filter form under the query string, the
language, the viewer's scope and the data fingerprint (its theme and alliance lists come from the
data, and the themes from the partnerships the viewer may see).
"""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from hub.core import charts
from hub.mapping import figures, home, specs
from hub.mapping.figures import FilterSet

FORMATS = {
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
}
# Bump when the panel or filter templates change, so HTML cached before is not served.
HTML_VERSION = "2"


def _panel_html(
    request: HttpRequest,
    fs: FilterSet,
    builders: dict,
    url_name: str,
    *,
    number: int,
    comparing: bool,
) -> str:
    """One panel: its summary, and each figure as an inline SVG, a table and download links."""
    # Not through the figure cache: the panel's HTML is cached under the figures' key instead.
    built = [build(request.user, fs) for build in builders.values()]
    # One SVG serves both colour modes: the page's stylesheet recolours it in dark mode.
    svgs = specs.render_svgs([(figure, "light") for figure in built])
    query = fs.query()
    items = []
    for figure, svg in zip(built, svgs, strict=True):
        base = reverse(url_name, args=[figure.name, "svg"])[: -len(".svg")]
        items.append(
            {
                "figure": figure,
                "svg": svg,
                "downloads": {
                    fmt: f"{base}.{fmt}" + (f"?{query}" if query else "") for fmt in FORMATS
                },
            }
        )
    by_name = {figure.name: figure for figure in built}
    summary = (
        figures.summary(by_name["goals"], by_name["structure"]) if "goals" in by_name else None
    )
    return render_to_string(
        "mapping/_panel.html",
        {
            "panel": {"set": fs, "items": items, "list_url": fs.list_url(), "summary": summary},
            "number": number,
            "comparing": comparing,
        },
    )


def _filters_html(request: HttpRequest, sets: list[FilterSet], comparing: bool) -> str:
    return render_to_string(
        "mapping/_filters.html",
        {
            "user": request.user,  # the themes offered are those of partnerships they may see
            "form_a": sets[0].filters,
            "form_b": sets[1].filters if comparing else None,
            "comparing": comparing,
            "query_a": sets[0].query(),
        },
    )


def _page(request: HttpRequest, template: str, builders: dict, url_name: str) -> HttpResponse:
    sets = [FilterSet.read(request.GET)]
    comparing = bool(request.GET.get("compare")) or any(k.startswith("b-") for k in request.GET)
    if comparing:
        sets.append(FilterSet.read(request.GET, "b"))
    data = figures.data_fingerprint()
    figure_keys = [figures.figures_key(request.user, fs, builders, data) for fs in sets]
    panel_keys = [
        charts.cache_key(
            {"figures": key, "url": url_name, "number": n, "comparing": comparing},
            "mapping-panel",
            v=HTML_VERSION,
        )
        for n, key in enumerate(figure_keys, start=1)
    ]
    filters_key = charts.cache_key(
        {
            "query": sorted(request.GET.lists()),
            "comparing": comparing,
            "data": data,
            "viewer": figures.viewer_scope(request.user),
            "language": get_language(),
        },
        "mapping-filters",
        v=HTML_VERSION,
    )
    found = cache.get_many([*panel_keys, filters_key])
    fresh = {}
    for n, (fs, panel_key) in enumerate(zip(sets, panel_keys, strict=True), start=1):
        if panel_key not in found:
            fresh[panel_key] = _panel_html(
                request, fs, builders, url_name, number=n, comparing=comparing
            )
    if filters_key not in found:
        fresh[filters_key] = _filters_html(request, sets, comparing)
    if fresh:
        cache.set_many(fresh, figures.FIGURE_TIMEOUT)
    html = {**found, **fresh}
    return render(
        request,
        template,
        {
            "query_a": sets[0].query(),
            "filters_html": mark_safe(html[filters_key]),  # noqa: S308 - rendered by our templates
            "panels_html": [mark_safe(html[key]) for key in panel_keys],  # noqa: S308 - ditto
        },
    )


@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    """The home page: what the hub is, the movement in numbers, and a member's own work."""
    user = request.user
    context: dict = {
        "numbers": home.movement_numbers(user),
        "recent": home.recent_partnerships(user),
    }
    if user.is_authenticated:
        roles = home.member_roles(user)
        context |= {
            "is_member": bool(roles),
            "can_create": home.may_record(user, roles),
            "mine": home.my_partnerships(user),
            "deadlines": home.my_deadlines(user),
            "attention": home.needs_attention(user),
            "today": timezone.localdate(),
        }
    return render(request, "mapping/home.html", context)


@require_GET
def mapping(request: HttpRequest) -> HttpResponse:
    return _page(request, "mapping/mapping.html", figures.MAPPING, "mapping:chart")


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, "mapping/dashboard.html", figures.DASHBOARD, "mapping:dashboard_chart")


def _download(request: HttpRequest, builders: dict, name: str, fmt: str) -> HttpResponse:
    if name not in builders or fmt not in FORMATS:
        raise Http404
    figure = figures.build_figures(
        request.user, FilterSet.read(request.GET), {name: builders[name]}
    )[0]
    mode = "dark" if request.GET.get("mode") == "dark" else "light"
    if fmt == "csv":
        body: str | bytes = figure.csv()
    elif fmt == "svg":
        body = specs.render_svg(figure, mode)
    else:
        body = specs.render_png(figure, mode)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    return response


@require_GET
def chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """A mapping chart as SVG, PNG or CSV, for the filters in the query string."""
    return _download(request, figures.MAPPING, name, fmt)


@require_GET
def dashboard_chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """A dashboard chart as SVG, PNG or CSV, for the filters in the query string."""
    return _download(request, figures.DASHBOARD, name, fmt)
