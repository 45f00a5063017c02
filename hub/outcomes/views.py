"""Pages of outcomes: the movement's totals, the metric definitions, and a partnership's figures
(entered by hand, fetched from Commons, imported from a Dashboard CSV)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import history
from hub.core.forms import call_service
from hub.outcomes import commons, dashboard, rollups, services
from hub.outcomes.access import get_definition, get_figure_for
from hub.outcomes.forms import CommonsForm, DashboardForm, FigureForm, YearForm
from hub.outcomes.models import Figure, MetricDefinition, plain_number
from hub.partnerships.access import get_partnership_for

STALE = ""


def _refusal() -> str:
    return _("You cannot edit the outcomes of this partnership.")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    partnerships = rollups.movement_partnerships(request.user)
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return render(
        request,
        "outcomes/index.html",
        {
            "form": form,
            "year": year,
            "totals": rollups.totals(partnerships, year=year),
            "partnership_count": partnerships.filter(figures__isnull=False).distinct().count(),
        },
    )


@require_GET
def definition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outcomes/definition_list.html",
        {"definitions": MetricDefinition.objects.all()},
    )


@require_GET
def definition_detail(request: HttpRequest, key: str, version: int) -> HttpResponse:
    definition = get_definition(key, version)
    return render(
        request,
        "outcomes/definition_detail.html",
        {
            "definition": definition,
            "versions": MetricDefinition.objects.filter(key=key),
            "figure_count": Figure.objects.visible_to(request.user)
            .filter(definition=definition)
            .count(),
        },
    )


def _to_partnership(partnership) -> HttpResponse:
    return redirect(partnership.get_absolute_url() + "#outcomes")


@login_required
def figure_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True, refusal=_refusal())
    form = FigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.figure_create(
                actor=request.user, partnership=partnership, **form.service_arguments()
            ),
            stale=STALE,
        )
        if saved:
            messages.success(request, _("The figure is recorded."))
            return _to_partnership(partnership)
    return render(request, "outcomes/figure_form.html", {"form": form, "partnership": partnership})


@login_required
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_figure_for(request.user, pk, edit=True)
    initial = {
        "definition": figure.definition_id,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "value": figure.value,
        "source": figure.source,
        "note": figure.note,
        "keys": "\n".join(figure.keys.order_by("pk").values_list("key", flat=True)),
    }
    form = FigureForm(request.POST or None, initial=initial, figure=figure)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        keys = arguments.pop("keys")
        saved = call_service(
            form,
            lambda: services.figure_update(
                actor=request.user, figure=figure, keys=keys, **arguments
            ),
            stale=STALE,
        )
        if saved:
            messages.success(request, _("The figure is changed."))
            return _to_partnership(figure.partnership)
    return render(
        request,
        "outcomes/figure_form.html",
        {"form": form, "partnership": figure.partnership, "figure": figure},
    )


@login_required
@require_POST
def figure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_figure_for(request.user, pk, edit=True)
    partnership = figure.partnership
    services.figure_delete(actor=request.user, figure=figure)
    messages.success(request, _("The figure is removed."))
    return _to_partnership(partnership)


@require_GET
def figure_history(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_figure_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": figure, "entries": history.read(request.user, figure)},
    )


@login_required
def commons_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True, refusal=_refusal())
    form = CommonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: commons.commons_category_fetch(
                actor=request.user, partnership=partnership, **form.cleaned_data
            ),
            stale=STALE,
        )
        if saved:
            messages.success(
                request,
                _("%(count)s files counted in %(category)s.")
                % {"count": plain_number(saved.value), "category": form.cleaned_data["category"]},
            )
            return _to_partnership(partnership)
    return render(request, "outcomes/commons_form.html", {"form": form, "partnership": partnership})


@login_required
def dashboard_import(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True, refusal=_refusal())
    form = DashboardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            lambda: dashboard.dashboard_csv_import(
                actor=request.user,
                partnership=partnership,
                data=data["file"].read(dashboard.MAX_BYTES + 1),
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
            stale=STALE,
        )
        if saved is not None:
            messages.success(request, _("%(count)s figures imported.") % {"count": len(saved)})
            return _to_partnership(partnership)
    return render(
        request, "outcomes/dashboard_form.html", {"form": form, "partnership": partnership}
    )
