"""Pages of in-kind contributions: fetch with permission, validate, call a service, respond."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.core import exporting, history
from hub.core.exceptions import StaleVersionError
from hub.core.forms import VersionedForm, call_service, parse_int
from hub.directory.access import may_create
from hub.directory.models import Organization
from hub.funding.common import htmx_target, stale_message
from hub.funding.contributions import services
from hub.funding.contributions.access import get_contribution_for
from hub.funding.contributions.exporting import CONTRIBUTION_COLUMNS
from hub.funding.contributions.filters import ContributionFilter
from hub.funding.contributions.forms import ContributionForm
from hub.funding.contributions.models import InKindContribution
from hub.funding.exchange_rates.currency import BASE


def contribution_queryset(user, filters: ContributionFilter):
    """The list as the viewer may see it, filtered; shared by the page and the exports."""
    return (
        filters.apply(InKindContribution.objects.visible_to(user), user)
        .with_shown_partnership(user)
        .order_by(*filters.ordering())
    )


@require_GET
def contribution_list(request: HttpRequest) -> HttpResponse:
    filters = ContributionFilter(request.GET, user=request.user)
    qs = contribution_queryset(request.user, filters).select_related(
        "receiving_organization", "donor_organization"
    )
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_create": may_create(request.user),
        "export_query": request.GET.urlencode(),
    }
    if htmx_target(request) == "results":
        return render(request, "funding/contribution_list.html#results", context)
    return render(request, "funding/contribution_list.html", context)


@require_GET
def contribution_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV, XLSX or ODS (?format=), streamed."""
    filters = ContributionFilter(request.GET, user=request.user)
    return exporting.export_response(
        contribution_queryset(request.user, filters),
        CONTRIBUTION_COLUMNS,
        request.GET.get("format", "csv"),
        "in-kind-contributions",
    )


@require_GET
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_contribution_for(request.user, pk)
    return render(
        request,
        "funding/contribution_detail.html",
        {
            "contribution": contribution,
            "can_edit": InKindContribution.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@require_GET
def contribution_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The evidence file, to those who may see the contribution (files are never public URLs)."""
    contribution = get_contribution_for(request.user, pk)
    if not contribution.evidence_file:
        raise Http404
    name = (contribution.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(contribution.evidence_file.open("rb"), as_attachment=True, filename=name)


def _contribution_edit(request: HttpRequest, contribution: InKindContribution | None):
    initial: dict[str, Any] | None = None
    if contribution is None:
        # Their own organizations (staff act for all, but are offered their own).
        mine = Organization.objects.member_of(request.user, editing=True).movement()
        initial = {"currency": BASE}
        if mine.count() == 1:
            initial["receiving_organization"] = mine.first()
        if partnership := parse_int(request.GET.get("partnership")):
            initial["partnership"] = partnership
    form = ContributionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        instance=contribution,
        **({"initial": initial} if initial is not None else {}),
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if contribution is None:
            saved = call_service(
                form,
                lambda: services.contribution_create(actor=request.user, **arguments),
                stale=stale_message(),
                permission_field="receiving_organization",
            )
            done = _("Contribution recorded.")
        else:
            saved = call_service(
                form,
                lambda: services.contribution_update(
                    actor=request.user,
                    contribution=contribution,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(),
                permission_field="receiving_organization",
            )
            done = _("Contribution saved.")
        if saved is not None:
            messages.success(request, done)
            return redirect(saved)
    return render(
        request,
        "funding/contribution_form.html",
        {"form": form, "contribution": contribution},
    )


@login_required
def contribution_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    return _contribution_edit(request, None)


@login_required
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _contribution_edit(request, get_contribution_for(request.user, pk, edit=True))


@login_required
def contribution_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST archives (or restores with restore=1)."""
    contribution = get_contribution_for(request.user, pk, edit=True)
    if request.method == "POST":
        restore = request.POST.get("restore") == "1"
        form = VersionedForm(request.POST, initial={"version": contribution.version})
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
            return redirect(contribution)
        try:
            (services.contribution_restore if restore else services.contribution_archive)(
                actor=request.user,
                contribution=contribution,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            messages.error(request, stale_message())
        else:
            messages.success(
                request, _("Contribution restored.") if restore else _("Contribution archived.")
            )
        return redirect(contribution)
    return render(request, "funding/contribution_archive.html", {"contribution": contribution})


@require_GET
def contribution_history(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_contribution_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {
            "object": contribution,
            "entries": history.read(request.user, contribution, contribution.import_entry_id),
        },
    )
