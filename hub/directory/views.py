"""Pages of the directory: organizations, their contacts and alliance members."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import exporting, history, privacy
from hub.core.forms import apply_service_errors
from hub.directory import matching, merging, services
from hub.directory.access import get_organization_for, get_person_for, may_create
from hub.directory.exporting import ORGANIZATION_COLUMNS
from hub.directory.forms import AllianceMemberForm, OrganizationFilter, OrganizationForm, PersonForm
from hub.directory.models import Organization, Person


def organization_queryset(filters: OrganizationFilter):
    """The directory as listed, filtered; shared by the page and its exports (every
    organization is visible to everyone; contact persons are never listed)."""
    return filters.apply(Organization.objects.all()).order_by("name", "pk")


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    filters = OrganizationFilter(request.GET)
    qs = organization_queryset(filters)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "export_query": request.GET.urlencode(),
        # the duplicates page lists pairs whose facts the viewer may change: link it only for them
        "can_merge": request.user.is_authenticated
        and Organization.objects.facts_editable_by(request.user).exists(),
    }
    return render(request, "directory/organization_list.html", context)


@require_GET
def organization_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered directory as CSV, XLSX or ODS (?format=), streamed."""
    filters = OrganizationFilter(request.GET)
    return exporting.export_response(
        organization_queryset(filters),
        ORGANIZATION_COLUMNS,
        request.GET.get("format", "csv"),
        "organizations",
    )


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, pk)
    # Its partnerships are drawn by partnerships' own template tag ({% organization_partnerships %}).
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "members": organization.memberships.select_related("member")
            if organization.is_alliance
            else [],
            "alliances": organization.alliances.select_related("alliance"),
            "people": Person.objects.visible_to(request.user).filter(
                organization=organization, archived=False
            ),
            "can_edit": Organization.objects.facts_editable_by(request.user).filter(pk=pk).exists(),
            "can_manage": Organization.objects.managed_by(request.user).filter(pk=pk).exists(),
            "can_add_people": Organization.objects.member_of(request.user, editing=True).exists(),
            "member_form": AllianceMemberForm() if organization.is_alliance else None,
        },
    )


def _organization_form(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    form = OrganizationForm(
        request.POST or None,
        instance=organization or Organization(),
        allow_movement=request.user.is_staff,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        linked_before = organization.wikidata_id if organization else ""
        try:
            if organization is None:
                organization = services.organization_create(actor=request.user, **fields)
            else:
                organization = services.organization_update(
                    actor=request.user, organization=organization, **fields
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Organization saved."))
            if (
                request.POST.get("wikidata_fetch")
                and organization.wikidata_id
                and organization.wikidata_id != linked_before
            ):
                # The wiki app (above the directory) shows what the newly chosen item says and
                # lets the person choose what to take: named by URL, not imported.
                return redirect("wikidata:apply", pk=organization.pk)
            return redirect(organization)
    return render(
        request, "directory/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    return _organization_form(request, None)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organization_form(request, get_organization_for(request.user, pk, edit=True))


@require_GET
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": organization, "entries": history.read(request.user, organization)},
    )


@login_required
@require_POST
def alliance_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = get_organization_for(request.user, pk)
    if not Organization.objects.managed_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    form = AllianceMemberForm(request.POST)
    if form.is_valid():
        try:
            services.alliance_membership_add(
                actor=request.user,
                alliance=alliance,
                member=form.cleaned_data["member"],
                role=form.cleaned_data["role"],
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Member added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
    return redirect(alliance)


def _person_form(
    request: HttpRequest, organization: Organization, person: Person | None
) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=person or Person(organization=organization))
    # Whom a new contact is kept by: the movement organizations the user edits for as a member.
    stewards = Organization.objects.movement().member_of(request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if person is None:
                steward = (
                    stewards.filter(pk=request.POST.get("steward") or 0).first() or stewards.first()
                )
                if steward is None:
                    raise PermissionDenied
                person = services.person_create(
                    actor=request.user, organization=organization, steward=steward, **fields
                )
            else:
                person = services.person_update(actor=request.user, person=person, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(organization)
    return render(
        request,
        "directory/person_form.html",
        {
            "form": form,
            "organization": organization,
            "person": person,
            "stewards": stewards,
            "can_manage_person": person is not None
            and Person.objects.managed_by(request.user).filter(pk=person.pk).exists(),
        },
    )


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, pk)
    if not Organization.objects.member_of(request.user, editing=True).exists():
        raise PermissionDenied
    return _person_form(request, organization, None)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, edit=True)
    return _person_form(request, person.organization, person)


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, edit=True)
    services.person_update(actor=request.user, person=person, archived=True)
    messages.success(request, _("Contact archived."))
    return redirect(person.organization)


@login_required
@require_GET
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": person, "entries": history.read(request.user, person)},
    )


@login_required
@require_GET
def person_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    person = get_person_for(request.user, pk)
    if fmt not in privacy.EXPORT_FORMATS:
        raise Http404
    export = services.person_export(actor=request.user, person=person)
    return privacy.export_response(export, fmt, f"contact-{person.pk}")


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET) that says what goes and what stays; the erasure itself is a POST."""
    person = get_person_for(request.user, pk)
    if not Person.objects.managed_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.person_erase(actor=request.user, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The contact's personal data were erased."))
        return redirect(person.organization)
    return render(request, "directory/person_erase.html", {"person": person})


# Facts shown side by side on the duplicates and merge pages, and the reason a pair is listed.
COMPARED_FIELDS = ["name", "local_name", "kind", "country", "website", "short_code", "wikidata_id"]


def _shown(organization: Organization, name: str) -> str:
    if name == "kind":
        return organization.get_kind_display()
    if name == "country":
        return str(organization.country.name) if organization.country else ""  # type: ignore[attr-defined]
    return getattr(organization, name) or ""


def _compared(organization: Organization, counts: dict[str, int]) -> dict:
    """One side of a pair: the organization, its facts in COMPARED_FIELDS' order, its rows."""
    return {
        "organization": organization,
        "facts": [(name, _shown(organization, name)) for name in COMPARED_FIELDS],
        "counts": sorted(counts.items()),
    }


@login_required
@require_GET
def organization_duplicates(request: HttpRequest) -> HttpResponse:
    """Likely duplicates among the organizations the viewer may merge (both of a pair's facts
    editable by them), side by side, a page at a time."""
    editable = set(
        Organization.objects.facts_editable_by(request.user).values_list("pk", flat=True)
    )
    if not editable:
        raise PermissionDenied
    index = matching.OrganizationIndex.build()
    pairs = [
        pair
        for pair in matching.likely_duplicates(index)
        if pair[0].pk in editable and pair[1].pk in editable
    ]
    page = Paginator(pairs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    counts = merging.reference_counts([org.pk for a, b, _reason in page for org in (a, b)])
    rows = [
        {"reason": reason, "sides": [_compared(a, counts[a.pk]), _compared(b, counts[b.pk])]}
        for a, b, reason in page
    ]
    return render(
        request,
        "directory/organization_duplicates.html",
        {"page": page, "pairs": rows, "fields": _field_labels(), "merge_links": True},
    )


def _field_labels() -> list[tuple[str, str]]:
    return [
        (name, str(Organization._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
        for name in COMPARED_FIELDS
    ]


@login_required
def organization_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Merge `other` into `pk`: GET shows both and what moves, POST (with the page's token) merges."""
    keep = get_organization_for(request.user, pk, edit=True)
    merged = get_organization_for(request.user, other, edit=True)
    if keep.pk == merged.pk:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            services.organization_merge(
                actor=request.user, keep=keep, merged=merged, token=request.POST.get("token", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 409
            keep.refresh_from_db()
            merged.refresh_from_db()
        else:
            messages.success(request, _("The organizations were merged."))
            return redirect(keep)
    counts = merging.reference_counts([keep.pk, merged.pk])
    fills = [
        (label, getattr(merged, name))
        for name, label in _field_labels()
        if name in services.MERGE_FILLS and getattr(merged, name) and not getattr(keep, name)
    ]
    context = {
        "keep": keep,
        "merged": merged,
        "merge_pair": {
            "sides": [_compared(keep, counts[keep.pk]), _compared(merged, counts[merged.pk])]
        },
        "moves": sorted(counts[merged.pk].items()),
        "fills": fills,
        "fields": _field_labels(),
        "token": merging.merge_token(keep, merged),
    }
    return render(request, "directory/organization_merge.html", context, status=status)
