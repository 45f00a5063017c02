"""The mapping page, the movement dashboard and their chart downloads.

Read-only pages: every number is computed for the viewer (`visible_to`) and the filters in the URL.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hub.mapping import figures, specs
from hub.mapping.figures import FilterSet
from hub.partnerships.models import Theme

FORMATS = {
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
}


def _panels(request: HttpRequest, builders: dict, url_name: str) -> list[dict]:
    """One panel per filter set (two when comparing): its figures, charts and download links."""
    sets = [FilterSet.read(request.GET)]
    if request.GET.get("compare") or any(key.startswith("b-") for key in request.GET):
        sets.append(FilterSet.read(request.GET, "b"))
    panels = []
    for fs in sets:
        query = fs.query()
        built = figures.build_figures(request.user, fs, builders)
        svgs = specs.render_svgs([(figure, mode) for figure in built for mode in ("light", "dark")])
        items = []
        for i, figure in enumerate(built):
            base = reverse(url_name, args=[figure.name, "svg"])[: -len(".svg")]
            items.append(
                {
                    "figure": figure,
                    "svg_light": svgs[2 * i],
                    "svg_dark": svgs[2 * i + 1],
                    "downloads": {
                        fmt: f"{base}.{fmt}" + (f"?{query}" if query else "") for fmt in FORMATS
                    },
                }
            )
        panels.append(
            {
                "set": fs,
                "items": items,
                "list_url": fs.list_url(),
                "by_name": {item["figure"].name: item["figure"] for item in items},
            }
        )
    return panels


def _page(request: HttpRequest, template: str, builders: dict, url_name: str) -> HttpResponse:
    panels = _panels(request, builders, url_name)
    if "goals" in builders:
        for panel in panels:
            panel["summary"] = figures.summary(
                panel["by_name"]["goals"], panel["by_name"]["structure"]
            )
    b_set = panels[1]["set"] if len(panels) > 1 else FilterSet.read(request.GET, "b")
    return render(
        request,
        template,
        {
            "panels": panels,
            "comparing": len(panels) > 1,
            "form_a": panels[0]["set"].filters,
            "form_b": b_set.filters,
            "themes": Theme.objects.all(),
        },
    )


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
