"""The mapping page, the movement dashboard and their chart downloads.

Read-only pages: every number is computed for the viewer (`visible_to`) and the filters in the URL.

While the data are unchanged, a page is put together from fragments kept in the figure cache
(hub/core/figcache.py): the filter form and each panel (its figures, charts, tables and links),
rendered from the partials of mapping/_page.html, under the viewer's scope, the language and the
filters, and valid while the generation they were made in is current. The filter form depends on
the data too (its theme and alliance lists, the themes of the partnerships the viewer may see), so
it is kept the same way. The generation and all the fragments of a page are one cache query.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hub.core import figcache
from hub.mapping import figures, home, specs
from hub.mapping.figures import FilterSet

FORMATS = {
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
}
# Bump when the panel or filter partials change, so HTML cached before is not served.
HTML_VERSION = "3"
PAGE = "mapping/_page.html"


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
        f"{PAGE}#panel",
        {
            "panel": {"set": fs, "items": items, "list_url": fs.list_url(), "summary": summary},
            "number": number,
            "comparing": comparing,
        },
    )


def _filters_html(request: HttpRequest, sets: list[FilterSet], comparing: bool) -> str:
    return render_to_string(
        f"{PAGE}#filters",
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
    scope = figcache.viewer_scope(request.user)  # one query for a member: asked once

    def panel(n: int, fs: FilterSet):
        return lambda: _panel_html(request, fs, builders, url_name, number=n, comparing=comparing)

    panels = {
        figcache.key(
            "mapping-panel",
            scope,
            figures=figures.figures_key(scope, fs, builders),
            url=url_name,
            number=n,
            comparing=comparing,
            v=HTML_VERSION,
        ): panel(n, fs)
        for n, fs in enumerate(sets, start=1)
    }
    filters_key = figcache.key(
        "mapping-filters",
        scope,
        query=sorted(request.GET.lists()),
        comparing=comparing,
        v=HTML_VERSION,
    )
    # Rendered templates are safe strings, and stay so through the cache.
    html = figcache.cached_many(
        {**panels, filters_key: lambda: _filters_html(request, sets, comparing)},
        figures.FIGURE_TIMEOUT,
    )
    return render(
        request,
        template,
        {
            "query_a": sets[0].query(),
            "filters_html": html[filters_key],
            "panels_html": [html[key] for key in panels],
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
