"""Pages of the infographic (figures of in-kind support for an organization, an alliance or the
movement). The other funding pages live in their sub-packages' views.py."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hub.funding import figures, infographic
from hub.funding.exchange_rates.currency import BASE, known_currencies, reporting_currency
from hub.funding.forms import InfographicForm


def _infographic_input(request: HttpRequest):
    currencies = known_currencies()
    data = request.GET.copy()
    data.setdefault("currency", reporting_currency(request))
    form = InfographicForm(data, currencies=currencies)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    scope = figures.Scope(
        organization=cleaned.get("organization"),
        alliance=None if cleaned.get("organization") else cleaned.get("alliance"),
    )
    year = (
        cleaned.get("year")
        or figures.latest_year(request.user, scope)
        or (timezone.localdate().year - 1)
    )
    # The form shows the year the figures are of (its data is our own copy of the query).
    data["year"] = str(year)
    currency = cleaned.get("currency") or BASE
    return form, scope, year, currency


@require_GET
def infographic_page(request: HttpRequest) -> HttpResponse:
    form, scope, year, currency = _infographic_input(request)
    found = figures.figures_for(request.user, scope, year, currency)
    key = figures.cache_key(request.user, scope, year, currency, "page")
    charts = infographic._cached(
        f"{key}:charts:{request.LANGUAGE_CODE}", lambda: infographic.chart_svgs(found)
    )
    query = request.GET.copy()
    query["currency"] = currency
    query["year"] = str(year)
    return render(
        request,
        "funding/infographic.html",
        {
            "form": form,
            "charts": charts,
            "download_query": query.urlencode(),
            **infographic.context(found),
        },
    )


DOWNLOAD_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


@require_GET
def infographic_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOAD_TYPES:
        raise Http404
    _form, scope, year, currency = _infographic_input(request)
    found = figures.figures_for(request.user, scope, year, currency)
    body = infographic.render(
        fmt, found, key=figures.cache_key(request.user, scope, year, currency, "download")
    )
    response = HttpResponse(body, content_type=DOWNLOAD_TYPES[fmt])
    name = f"in-kind-{scope.key}-{year}-{currency}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
