"""Pages of the registry: fetch with permission, validate, call a service, respond."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.core import exporting, history
from hub.core.choosers import typed_text
from hub.core.exceptions import StaleVersionError
from hub.core.forms import apply_service_errors, call_service, parse_int, stale_message
from hub.directory import services as directory_services
from hub.directory.access import may_create
from hub.directory.fields import OrganizationField, organization_label
from hub.directory.models import Organization
from hub.partnerships import extensions, services
from hub.partnerships.access import get_partnership_for
from hub.partnerships.exporting import PARTNERSHIP_COLUMNS
from hub.partnerships.fields import partnership_label
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.forms import (
    BaseParticipantFormSet,
    EndForm,
    NewOrganizationForm,
    ParticipantFormSet,
    PartnershipForm,
)
from hub.partnerships.models import Participant, Partnership
from hub.partnerships.selectors import affiliates_working_with

EXTRA_PARTICIPANT_ROWS = 2
LEAD_FIRST = Case(When(role=Participant.Role.LEAD, then=Value(0)), default=Value(1))


def _first_value_ending(request: HttpRequest, suffixes: tuple[str, ...]) -> str:
    """The value of the first query parameter whose name ends with one of `suffixes` (form prefixes vary).

    A value with a NUL byte is no text anyone typed (and PostgreSQL refuses it): read as empty."""
    for key in request.GET:
        if key.endswith(suffixes):
            value = request.GET.get(key, "")
            return "" if "\x00" in value else value
    return ""


def registry_queryset(user, filters: PartnershipFilter):
    """The registry as the viewer may see it, filtered and in the page's order: the rows of the
    list page and of its exports."""
    qs = filters.apply(Partnership.objects.visible_to(user))
    return extensions.narrow(qs, user, filters.values).order_by(*filters.ordering())


def list_queryset(user, filters: PartnershipFilter):
    """The registry list page's rows, with what the page shows of each."""
    return (
        extensions.annotate(registry_queryset(user, filters), user)
        .select_related("lead")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("organization").order_by(
                    LEAD_FIRST, "pk"
                ),
            ),
            "themes",
        )
    )


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    filters = PartnershipFilter(request.GET)
    page = Paginator(list_queryset(request.user, filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    columns = extensions.columns(request.user)
    context = {
        "filters": filters,
        "page": page,
        "export_query": request.GET.urlencode(),
        "extra_columns": columns,
        "extra_filters": [filters[column.name] for column in columns],
    }
    if getattr(request, "htmx", None) and request.htmx.target == "results":  # type: ignore[attr-defined]
        return render(request, "partnerships/partnership_list.html#results", context)
    return render(request, "partnerships/partnership_list.html", context)


@require_GET
def partnership_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered registry as CSV, XLSX or ODS (?format=), streamed: the rows the page lists."""
    filters = PartnershipFilter(request.GET)
    return exporting.export_response(
        registry_queryset(request.user, filters),
        PARTNERSHIP_COLUMNS,
        request.GET.get("format", "csv"),
        "partnerships",
    )


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    participants = partnership.participants.select_related("organization").order_by(
        LEAD_FIRST, "pk"
    )
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "participants": participants,
            "can_edit": Partnership.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


def _participant_initial(partnership: Partnership | None, with_org: Organization | None):
    if partnership is None:
        return [{"organization": with_org, "role": Participant.Role.PARTNER}] if with_org else []
    return [
        {"organization": p.organization, "role": p.role}
        for p in partnership.participants.select_related("organization")
        if p.role != Participant.Role.LEAD
    ]


def _already_working(user, formset) -> list[tuple[Organization, list[Organization]]]:
    """For each chosen participant, the affiliates that already work with it."""
    found = []
    for form in formset.forms:
        org = form.cleaned_data.get("organization") if form.is_bound and form.is_valid() else None
        if org is None:
            org = form.initial.get("organization")
        if isinstance(org, Organization):
            others = list(affiliates_working_with(user, org)[:8])
            if others:
                found.append((org, others))
    return found


def _edit(request: HttpRequest, partnership: Partnership | None) -> HttpResponse:
    with_org = None
    if partnership is None and request.GET.get("with"):
        try:  # "Start a partnership with this organization": its label, or a number (old links)
            with_org = OrganizationField(required=False).clean(request.GET["with"])
        except ValidationError:
            with_org = None
    initial_lead = None
    if partnership is None:
        mine = Organization.objects.movement().member_of(request.user, editing=True)
        initial_lead = mine.first() if mine.count() == 1 else None
    form = PartnershipForm(
        request.POST or None,
        instance=partnership or Partnership(),
        initial={"lead": initial_lead} if initial_lead else None,
    )
    extra = EXTRA_PARTICIPANT_ROWS
    # Initial rows only for the page shown; a post carries every row, so unchanged rows still count.
    formset = ParticipantFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else _participant_initial(partnership, with_org),
        prefix="participants",
    )
    if request.method != "POST":
        formset.extra = extra
    new_org = NewOrganizationForm(request.POST or None, prefix="new_org")
    may_add = may_create(request.user)
    cast(BaseParticipantFormSet, formset).adds_organization = may_add and new_org.wanted
    if request.method == "POST":
        valid = form.is_valid() & formset.is_valid() & (not may_add or new_org.is_valid())
        if valid and (
            saved := _save(request, form, formset, new_org if may_add else None, partnership)
        ):
            messages.success(
                request,
                _("Partnership created.") if partnership is None else _("Partnership saved."),
            )
            return redirect(saved)
    return render(
        request,
        "partnerships/partnership_form.html",
        {
            "form": form,
            "formset": formset,
            "partnership": partnership,
            "already": _already_working(request.user, formset),
            "new_org": new_org if may_add else None,
            "new_org_open": new_org.wanted
            or any(
                "unknown" in {e.code for e in f.errors.as_data().get("organization", [])}
                for f in formset.forms
                if f.is_bound
            ),
        },
    )


def _save(request: HttpRequest, form, formset, new_org, partnership: Partnership | None):
    """Create or update the partnership from valid forms, adding the new organization first if
    one was typed: all in one transaction, so a refusal leaves neither behind."""
    data = form.cleaned_data
    with transaction.atomic():
        participants = cast(BaseParticipantFormSet, formset).specs()
        if new_org is not None and new_org.wanted:
            org = call_service(
                new_org,
                lambda: directory_services.organization_create(
                    actor=request.user, **new_org.organization_fields()
                ),
                stale="",
                permission_field="name",
            )
            if org is None:
                return None
            participants.append(services.ParticipantSpec(org, new_org.cleaned_data["role"]))
        arguments = {
            "title": data["title"],
            "lead": data["lead"],
            "participants": participants,
            "goals": data["goals"],
            "structure": data["structure"],
            "status": data["status"],
            "scope": data["scope"],
            "visibility": data["visibility"],
            "description": data["description"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "direction_override": data["direction_override"],
            "direction_override_reason": data["direction_override_reason"],
            "projects": data["projects"],
            "themes": services.themes_from_names(data["themes"]),
            "links": data["links"],
        }
        if partnership is None:
            saved = call_service(
                form,
                lambda: services.partnership_create(actor=request.user, **arguments),
                stale=stale_message(_("partnership")),
                permission_field="lead",
                aliases={"participants": None},
            )
        else:
            saved = call_service(
                form,
                lambda: services.partnership_update(
                    actor=request.user,
                    partnership=partnership,
                    expected_version=data.get("version"),
                    **arguments,
                ),
                stale=stale_message(_("partnership")),
                permission_field="lead",
                aliases={"participants": None},
            )
        if saved is None:
            transaction.set_rollback(True)
        return saved


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    return _edit(request, None)


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_partnership_for(request.user, pk, edit=True))


@login_required
def partnership_end(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True)
    form = EndForm(request.POST or None, initial={"version": partnership.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_end(
                actor=request.user,
                partnership=partnership,
                status=form.cleaned_data["status"],
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            form.add_error(
                None, _("Someone else changed this partnership meanwhile. Reload and try again.")
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The partnership has ended. It stays in the registry."))
            return redirect(partnership)
    return render(
        request, "partnerships/partnership_end.html", {"partnership": partnership, "form": form}
    )


@require_GET
def partnership_history(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": partnership, "entries": history.read(request.user, partnership)},
    )


@require_GET
def participant_row(request: HttpRequest) -> HttpResponse:
    """One more empty participant row for the form (htmx); without JavaScript, rows are pre-rendered."""
    index = parse_int(request.GET.get("index"), min_value=0) or 0
    formset = ParticipantFormSet(prefix="participants")
    form = formset.empty_form
    form.prefix = f"participants-{min(index, 49)}"
    return render(
        request,
        "partnerships/partnership_form.html#participant-row",
        {"pform": form},
    )


@require_GET
def who_works_with(request: HttpRequest) -> HttpResponse:
    """The 'who already works with X' notice for one organization field (htmx)."""
    field = OrganizationField(required=False)
    text = _first_value_ending(request, ("organization",))
    try:
        org = field.clean(text)
    except ValidationError:
        org = None
    others = list(affiliates_working_with(request.user, org)[:8]) if org else []
    return render(
        request,
        "partnerships/partnership_form.html#already",
        {"already": [(org, others)] if others else []},
    )


def _typed(request: HttpRequest) -> str:
    """What the person typed into a chooser: htmx sends the box's value under the box's name, which
    differs by form and prefix, so the first value that is not one of the endpoint's own options."""
    for key in request.GET:
        if key not in ("movement",):
            return typed_text(request.GET.get(key, ""))
    return ""


def _options(request: HttpRequest, labels: list[str]) -> HttpResponse:
    return render(
        request, "partnerships/partnership_form.html#organization-options", {"options": labels}
    )


@require_GET
def organization_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for organization choosers: <option>s of a <datalist> (htmx)."""
    text = _typed(request)
    if len(text) < 2:
        return _options(request, [])
    qs = Organization.objects.movement() if request.GET.get("movement") else Organization.objects
    return _options(request, [organization_label(o) for o in qs.matching(text)[:20]])


@require_GET
def partnership_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for partnership choosers, among the partnerships the viewer may see (htmx)."""
    text = _typed(request)
    if len(text) < 2:
        return _options(request, [])
    found = (
        Partnership.objects.visible_to(request.user)
        .filter(title__icontains=text)
        .select_related("lead")
        .order_by("title", "pk")[:20]
    )
    return _options(request, [partnership_label(p) for p in found])
