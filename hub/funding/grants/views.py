"""Pages of grants and their reporting deadlines: fetch with permission, validate, call a
service, respond."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import exporting, history
from hub.core.forms import apply_service_errors, call_service, parse_int
from hub.directory.access import may_create
from hub.directory.models import Organization
from hub.funding.common import htmx_target, stale_message
from hub.funding.exchange_rates.currency import BASE
from hub.funding.grants import services
from hub.funding.grants.access import get_deadline_for, get_grant_for
from hub.funding.grants.exporting import GRANT_COLUMNS
from hub.funding.grants.filters import GrantFilter
from hub.funding.grants.forms import DeadlineForm, GrantForm
from hub.funding.grants.models import Grant, ReportingDeadline

DUE_DAYS = 30


def grant_queryset(user, filters: GrantFilter):
    return (
        filters.apply(Grant.objects.visible_to(user), user)
        .with_shown_partnership(user)
        .order_by(*filters.ordering())
    )


def _due(user, organizations=None):
    """Open deadlines of visible grants due in the next DUE_DAYS days (overdue ones included)."""
    grants = Grant.objects.visible_to(user)
    if organizations is not None:
        grants = grants.filter(recipient__in=organizations)
    return (
        ReportingDeadline.objects.due_within(DUE_DAYS, today=timezone.localdate())
        .filter(grant__in=grants)
        .select_related("grant", "grant__recipient")
        .order_by("grant__recipient__name", "due_date")
    )


@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    filters = GrantFilter(request.GET, user=request.user)
    qs = grant_queryset(request.user, filters).select_related("funder", "recipient")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    org = filters.values.get("organization")
    due = (
        _due(request.user, [org])
        if org
        else (
            _due(request.user, Organization.objects.member_of(request.user))
            if request.user.is_authenticated
            else ReportingDeadline.objects.none()
        )
    )
    context = {
        "filters": filters,
        "page": page,
        "due": due,
        "today": timezone.localdate(),
        "can_create": may_create(request.user),
        "export_query": request.GET.urlencode(),
    }
    if htmx_target(request) == "results":
        return render(request, "funding/grant_list.html#results", context)
    return render(request, "funding/grant_list.html", context)


@require_GET
def grant_due(request: HttpRequest) -> HttpResponse:
    """Reporting deadlines due in the next 30 days, for each organization (?organization=)."""
    org_id = parse_int(request.GET.get("organization"))
    orgs: Any = None
    if org_id is not None:
        orgs = [org_id]
    elif request.user.is_authenticated and not request.user.is_staff:
        orgs = Organization.objects.member_of(request.user)
    groups: dict[Organization, list[ReportingDeadline]] = {}
    for deadline in _due(request.user, orgs):
        groups.setdefault(deadline.grant.recipient, []).append(deadline)
    return render(
        request,
        "funding/grant_due.html",
        {"groups": groups.items(), "days": DUE_DAYS, "today": timezone.localdate()},
    )


@require_GET
def grant_export(request: HttpRequest) -> HttpResponseBase:
    filters = GrantFilter(request.GET, user=request.user)
    return exporting.export_response(
        grant_queryset(request.user, filters),
        GRANT_COLUMNS,
        request.GET.get("format", "csv"),
        "grants",
    )


@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_grant_for(request.user, pk)
    return render(
        request,
        "funding/grant_detail.html",
        {
            "grant": grant,
            "deadlines": grant.deadlines.all(),
            "today": timezone.localdate(),
            "deadline_form": DeadlineForm(),
            "can_edit": Grant.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


def _grant_edit(request: HttpRequest, grant: Grant | None) -> HttpResponse:
    kwargs: dict[str, Any] = {}
    if grant is None:
        # Their own organizations (staff act for all, but are offered their own).
        mine = Organization.objects.member_of(request.user, editing=True).movement()
        kwargs["initial"] = {"currency": BASE, "status": Grant.Status.PROSPECT}
        if mine.count() == 1:
            kwargs["initial"]["recipient"] = mine.first()
    form = GrantForm(request.POST or None, user=request.user, instance=grant, **kwargs)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if grant is None:
            saved = call_service(
                form,
                lambda: services.grant_create(actor=request.user, **arguments),
                stale=stale_message(),
                permission_field="recipient",
            )
            done = _("Grant recorded.")
        else:
            saved = call_service(
                form,
                lambda: services.grant_update(
                    actor=request.user,
                    grant=grant,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(),
                permission_field="recipient",
            )
            done = _("Grant saved.")
        if saved is not None:
            messages.success(request, done)
            return redirect(saved)
    return render(request, "funding/grant_form.html", {"form": form, "grant": grant})


@login_required
def grant_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    return _grant_edit(request, None)


@login_required
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _grant_edit(request, get_grant_for(request.user, pk, edit=True))


@require_GET
def grant_history(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_grant_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": grant, "entries": history.read(request.user, grant)},
    )


@login_required
@require_POST
def deadline_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_grant_for(request.user, pk, edit=True)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_create(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Deadline added."))
            return redirect(grant)
    return render(
        request,
        "funding/grant_detail.html",
        {
            "grant": grant,
            "deadlines": grant.deadlines.all(),
            "today": timezone.localdate(),
            "deadline_form": form,
            "can_edit": True,
        },
        status=400,
    )


@login_required
@require_POST
def deadline_done(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for(request.user, pk, edit=True)
    services.deadline_set_done(
        actor=request.user, deadline=deadline, done=request.POST.get("done", "1") == "1"
    )
    return redirect(deadline.grant)


@login_required
@require_POST
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for(request.user, pk, edit=True)
    grant = deadline.grant
    services.deadline_delete(actor=request.user, deadline=deadline)
    messages.success(request, _("Deadline removed."))
    return redirect(grant)
