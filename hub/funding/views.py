"""Pages of in-kind support and funding: fetch with permission, validate, call a service, respond."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.accounts.permissions import can_edit_for
from hub.core import history
from hub.core.exceptions import StaleVersionError
from hub.core.forms import VersionedForm, apply_service_errors, call_service, parse_int
from hub.directory.models import Organization
from hub.funding import exporting, figures, infographic, services
from hub.funding.exchange_rates.currency import BASE, ExchangeRateFileError, known_currencies
from hub.funding.filters import ContributionFilter, GrantFilter
from hub.funding.forms import (
    ContributionForm,
    DeadlineForm,
    ExchangeRateUploadForm,
    GrantForm,
    InfographicForm,
    RateForm,
    ReportingCurrencyForm,
)
from hub.funding.models import (
    ExchangeRate,
    Grant,
    InKindContribution,
    ReportingDeadline,
    ValuationRate,
)

SESSION_CURRENCY = "funding_reporting_currency"
DUE_DAYS = 30


# --------------------------------------------------------------------------- helpers


def get_contribution_for(user, pk: int, *, edit: bool = False) -> InKindContribution:
    """The contribution if `user` may see it (404 otherwise); PermissionDenied if edit is refused."""
    contribution = (
        InKindContribution.objects.visible_to(user)
        .with_shown_partnership(user)
        .select_related("receiving_organization", "donor_organization", "valuation_rate")
        .filter(pk=pk)
        .first()
    )
    if contribution is None:
        raise Http404
    if edit and not InKindContribution.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return contribution


def get_grant_for(user, pk: int, *, edit: bool = False) -> Grant:
    grant = (
        Grant.objects.visible_to(user)
        .with_shown_partnership(user)
        .select_related("funder", "recipient")
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404
    if edit and not Grant.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return grant


def get_deadline_for(user, pk: int) -> ReportingDeadline:
    deadline = ReportingDeadline.objects.select_related("grant").filter(pk=pk).first()
    if deadline is None or not Grant.objects.visible_to(user).filter(pk=deadline.grant_id).exists():
        raise Http404
    if not Grant.objects.editable_by(user).filter(pk=deadline.grant_id).exists():
        raise PermissionDenied
    return deadline


def get_rate_for(user, pk: int) -> ValuationRate:
    rate = ValuationRate.objects.select_related("organization").filter(pk=pk).first()
    if rate is None:
        raise Http404
    if not ValuationRate.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return rate


def reporting_currency(request: HttpRequest) -> str:
    """The viewer's reporting currency: ?currency=, else their choice in the session, else EUR."""
    wanted = (request.GET.get("currency") or request.session.get(SESSION_CURRENCY) or BASE).upper()
    return wanted if wanted in known_currencies() else BASE


def _edits_anything(user) -> bool:
    return user.is_staff or bool(_org_ids(user, "editor", "manager"))


def _org_ids(user, *roles: str) -> list[int]:
    return user.organization_ids(*roles) if user.is_authenticated else []


def _htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


def _stale_message() -> str:
    return _(
        "Someone else saved this record while you were editing it. "
        "Open it again to see their changes, then make yours."
    )


# --------------------------------------------------------------------------- contributions


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
        "can_create": request.user.is_authenticated and _edits_anything(request.user),
        "export_query": request.GET.urlencode(),
    }
    if _htmx_target(request) == "results":
        return render(request, "funding/contribution_list.html#results", context)
    return render(request, "funding/contribution_list.html", context)


@require_GET
def contribution_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV, XLSX or ODS (?format=), streamed."""
    filters = ContributionFilter(request.GET, user=request.user)
    return exporting.export_response(
        contribution_queryset(request.user, filters),
        exporting.CONTRIBUTION_COLUMNS,
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
        mine = Organization.objects.movement().filter(
            pk__in=_org_ids(request.user, "editor", "manager")
        )
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
                stale=_stale_message(),
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
                stale=_stale_message(),
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
    if not _edits_anything(request.user):
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
            messages.error(request, _stale_message())
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


# --------------------------------------------------------------------------- valuation rates


@require_GET
def rate_index(request: HttpRequest) -> HttpResponse:
    """Organizations that keep rates, and the viewer's own organizations."""
    mine = (
        Organization.objects.movement().filter(pk__in=_org_ids(request.user))
        if request.user.is_authenticated
        else Organization.objects.none()
    )
    keeping = Organization.objects.filter(
        pk__in=ValuationRate.objects.values("organization_id")
    ).order_by("name")
    return render(
        request, "funding/rate_index.html", {"mine": mine.order_by("name"), "keeping": keeping}
    )


def _organization(pk: int) -> Organization:
    org = Organization.objects.movement().filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def rate_list(request: HttpRequest, organization: int) -> HttpResponse:
    """An organization's rates (public); its editors add rates here."""
    org = _organization(organization)
    can_edit = can_edit_for(request.user, org)
    form = RateForm(request.POST or None, initial={"currency": BASE})
    if request.method == "POST":
        if not can_edit:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            try:
                services.rate_create(actor=request.user, organization=org, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Rate added."))
                return redirect("funding:rate_list", organization=org.pk)
    rates = ValuationRate.objects.filter(organization=org).order_by(
        "category", "unit", "-valid_from"
    )
    return render(
        request,
        "funding/rate_list.html",
        {"organization": org, "rates": rates, "form": form, "can_edit": can_edit},
    )


@login_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_rate_for(request.user, pk)
    form = RateForm(
        request.POST or None,
        initial={
            **{name: getattr(rate, name) for name in RateForm.base_fields if name != "version"},
            "version": rate.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.rate_update(actor=request.user, rate=rate, expected_version=version, **data)
        except StaleVersionError:
            form.add_error(None, _stale_message())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Rate saved."))
            return redirect("funding:rate_list", organization=rate.organization_id)
    return render(
        request,
        "funding/rate_form.html",
        {"form": form, "rate": rate, "used": rate.contributions.count()},
    )


@login_required
@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_rate_for(request.user, pk)
    try:
        services.rate_delete(actor=request.user, rate=rate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rate removed."))
    return redirect("funding:rate_list", organization=rate.organization_id)


# --------------------------------------------------------------------------- grants


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
            _due(request.user, _org_ids(request.user))
            if request.user.is_authenticated
            else ReportingDeadline.objects.none()
        )
    )
    context = {
        "filters": filters,
        "page": page,
        "due": due,
        "today": timezone.localdate(),
        "can_create": request.user.is_authenticated and _edits_anything(request.user),
        "export_query": request.GET.urlencode(),
    }
    if _htmx_target(request) == "results":
        return render(request, "funding/grant_list.html#results", context)
    return render(request, "funding/grant_list.html", context)


@require_GET
def grant_due(request: HttpRequest) -> HttpResponse:
    """Reporting deadlines due in the next 30 days, for each organization (?organization=)."""
    org_id = parse_int(request.GET.get("organization"))
    orgs = None
    if org_id is not None:
        orgs = [org_id]
    elif request.user.is_authenticated and not request.user.is_staff:
        orgs = _org_ids(request.user)
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
        exporting.GRANT_COLUMNS,
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
        mine = Organization.objects.movement().filter(
            pk__in=_org_ids(request.user, "editor", "manager")
        )
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
                stale=_stale_message(),
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
                stale=_stale_message(),
                permission_field="recipient",
            )
            done = _("Grant saved.")
        if saved is not None:
            messages.success(request, done)
            return redirect(saved)
    return render(request, "funding/grant_form.html", {"form": form, "grant": grant})


@login_required
def grant_create(request: HttpRequest) -> HttpResponse:
    if not _edits_anything(request.user):
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
    deadline = get_deadline_for(request.user, pk)
    services.deadline_set_done(
        actor=request.user, deadline=deadline, done=request.POST.get("done", "1") == "1"
    )
    return redirect(deadline.grant)


@login_required
@require_POST
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for(request.user, pk)
    grant = deadline.grant
    services.deadline_delete(actor=request.user, deadline=deadline)
    messages.success(request, _("Deadline removed."))
    return redirect(grant)


# --------------------------------------------------------------------------- currencies


def currency_choice(request: HttpRequest) -> HttpResponse:
    """Choose the reporting currency (kept in the session) and see the stored exchange rates."""
    currencies = known_currencies()
    form = ReportingCurrencyForm(
        request.POST or None,
        currencies=currencies,
        initial={"currency": reporting_currency(request)},
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_CURRENCY] = form.cleaned_data["currency"]
        messages.success(
            request,
            _("Reports now use %(currency)s.") % {"currency": form.cleaned_data["currency"]},
        )
        next_url = request.POST.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("funding:currency")
    latest = ExchangeRate.objects.aggregate(latest=Max("date"))["latest"]
    rates = ExchangeRate.objects.filter(date=latest).order_by("currency") if latest else []
    return render(
        request,
        "funding/currency.html",
        {
            "form": form,
            "latest": latest,
            "rates": rates,
            "upload": ExchangeRateUploadForm() if request.user.is_staff else None,
        },
    )


@login_required
@require_POST
def exchange_rates_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = ExchangeRateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.exchange_rates_import(
                actor=request.user, file=form.cleaned_data["file"]
            )
        except ExchangeRateFileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)s rates stored (%(first)s to %(last)s).")
                % {"n": result.rates, "first": result.first, "last": result.last},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("funding:currency")


# --------------------------------------------------------------------------- infographic


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
