"""Partnerships with their participants and dimensions: read, create, update, end.

Reads go through Partnership.objects.visible_to and the registry's PartnershipFilter (the very
form the list page uses); writes through hub.partnerships.services, with the ETag version check.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    WRITE_ERRORS,
    Cursor,
    IfMatch,
    Limit,
    RecordId,
    TextFilter,
    expected_version,
    may_create,
    path_id,
    precondition,
    prepared,
    refuse_repeated,
    url_maker,
)
from hub.api.pagination import Ordering, paginate
from hub.api.problems import ApiError, Problem, django_errors, invalid
from hub.api.schemas import (
    PartnershipCreate,
    PartnershipEnd,
    PartnershipOut,
    PartnershipPage,
    PartnershipUpdate,
)
from hub.api.statements import PageQuery
from hub.directory.models import Organization
from hub.partnerships import extensions, services
from hub.partnerships.access import get_partnership_for
from hub.partnerships.filters import SORTS, PartnershipFilter
from hub.partnerships.models import (
    GOAL_FIELDS,
    Participant,
    Partnership,
    PartnershipLink,
    WikimediaProject,
)

router = Router(tags=["partnerships"], auth=READ_AUTH)
DETAIL_PAGE = "partnerships:detail"

ORDERINGS = {
    "-start": Ordering("-start", "start_date", descending=True, nullable=True, kind="date"),
    "start": Ordering("start", "start_date", nullable=True, kind="date"),
    "title": Ordering("title", "title"),
    "-updated": Ordering("-updated", "updated_at", descending=True, kind="datetime"),
}
if set(ORDERINGS) != set(SORTS):
    raise RuntimeError("The API must offer exactly the registry pages' sort orders.")


@dataclass
class Related:
    """Participants, projects, themes and links of a page of partnerships: two queries, whatever
    the page size, read as plain values (no model instance per row)."""

    participants: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    projects: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    themes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))


def _participants(ids: list[int]):
    return (
        Participant.objects.filter(partnership_id__in=ids)
        .order_by("pk")
        .values_list(
            "partnership_id",
            "role",
            "organization_id",
            "organization__name",
            "organization__short_code",
            "organization__kind",
        )
    )


PROJECT, THEME, LINK = 1, 2, 3


def _extras(ids: list[int]):
    """Projects, themes and links in one round trip: (partnership, kind, text, url, row id)."""

    text = CharField()
    # Typed loosely: the type checker's plugin does not follow annotations on m2m through models.
    project_rows: Any = Partnership.projects.through.objects
    theme_rows: Any = Partnership.themes.through.objects
    projects = (
        project_rows.filter(partnership_id__in=ids)
        .annotate(kind=Value(PROJECT), text=F("wikimediaproject__code"), link=Value("", text))
        .values_list("partnership_id", "kind", "text", "link", "pk")
        .order_by()
    )
    themes = (
        theme_rows.filter(partnership_id__in=ids)
        .annotate(kind=Value(THEME), text=F("theme__name"), link=Value("", text))
        .values_list("partnership_id", "kind", "text", "link", "pk")
        .order_by()
    )
    links = (
        PartnershipLink.objects.filter(partnership_id__in=ids)
        .annotate(kind=Value(LINK), text=F("label"), link=F("url"))
        .values_list("partnership_id", "kind", "text", "link", "pk")
        .order_by()
    )
    return projects.union(themes, links, all=True)


PARTICIPANTS = PageQuery(_participants)
EXTRAS = PageQuery(_extras)


def related(ids: list[int]) -> Related:
    found = Related()
    if not ids:
        return found
    for pid, role, org_id, name, code, kind in PARTICIPANTS.rows(ids):
        entry = {"organization": {"id": org_id, "name": name, "short_code": code}, "kind": kind}
        entry["role"] = role
        found.participants[pid].append(entry)
    for pid in found.participants:
        found.participants[pid].sort(key=lambda x: x["role"] != Participant.Role.LEAD)
    for pid, kind, label, url, _pk in sorted(EXTRAS.rows(ids), key=lambda row: (row[1], row[4])):
        if kind == PROJECT:
            found.projects[pid].append(label)
        elif kind == THEME:
            found.themes[pid].append(label)
        else:
            found.links[pid].append({"label": label, "url": url})
    return found


# What an answer shows of a partnership, read as plain values: a model instance per partnership and
# per lead cost more than the rest of a list request.
PARTNERSHIP_VALUES = (
    "id",
    "title",
    "description",
    "lead_id",
    "lead__name",
    "lead__short_code",
    *GOAL_FIELDS.values(),
    "structure",
    "direction",
    "direction_override",
    "direction_override_reason",
    "status",
    "scope",
    "start_date",
    "end_date",
    "end_reason",
    "visibility",
    "version",
    "created_at",
    "updated_at",
)


def partnership_out(p: dict, rel: Related, url) -> dict:
    """The documented PartnershipOut of a `PARTNERSHIP_VALUES` row as plain JSON types; `url` makes
    the page address of a pk."""
    pk = p["id"]
    return {
        "id": pk,
        "title": p["title"],
        "description": p["description"],
        "lead": {"id": p["lead_id"], "name": p["lead__name"], "short_code": p["lead__short_code"]},
        "participants": rel.participants.get(pk, []),
        "goals": [str(goal) for goal, column in GOAL_FIELDS.items() if p[column]],
        "structure": p["structure"],
        "direction": p["direction"],
        "direction_override": p["direction_override"],
        "direction_override_reason": p["direction_override_reason"],
        "status": p["status"],
        "scope": p["scope"],
        "start_date": p["start_date"],
        "end_date": p["end_date"],
        "end_reason": p["end_reason"],
        "visibility": p["visibility"],
        "projects": sorted(rel.projects.get(pk, [])),
        "themes": sorted(rel.themes.get(pk, [])),
        "links": rel.links.get(pk, []),
        "version": p["version"],
        "etag": f'"{pk}-{p["version"]}"',
        "created_at": p["created_at"],
        "updated_at": p["updated_at"],
        "url": url(pk),
    }


class PartnershipQuery(Schema):
    """The registry page's filters. Values it cannot use are ignored and listed in `notices`."""

    q: TextFilter = Field(None, description="Text in the title or description.")
    goal: list[str] | None = Field(None, description="funding, content, advocacy; repeatable.")
    goal_match: TextFilter = Field(None, description="any (default), all or exact.")
    structure: TextFilter = Field(None, description="simple or complex.")
    direction: TextFilter = Field(None, description="internal or external.")
    status: list[str] | None = Field(None, description="Status; repeatable.")
    scope: list[str] | None = Field(None, description="local, national, regional, global.")
    organization: TextFilter = Field(None, description="Id of a participating organization.")
    members: TextFilter = Field(None, description="`on`: also the members of that alliance.")
    alliance: TextFilter = Field(None, description="Id of an alliance: its members' partnerships.")
    country: TextFilter = Field(None, description="ISO code of a participant's country.")
    region: TextFilter = Field(None, description="A world region a participant is based in.")
    partner_kind: TextFilter = Field(
        None, description="A participant is an external organization of this kind, e.g. museum."
    )
    theme: TextFilter = Field(None, description="Theme slug.")
    project: TextFilter = Field(None, description="Wikimedia project code, e.g. commons.")
    year_from: TextFilter = Field(None, description="Active in or after this year.")
    year_to: TextFilter = Field(None, description="Active in or before this year.")
    started: TextFilter = Field(None, description="Started in this year.")
    visibility: TextFilter = Field(None, description="public, movement or private.")
    sort: TextFilter = Field(None, description="-start (default), start, title, -updated.")
    needs_attention: TextFilter = Field(
        None,
        description="`on`: only partnerships whose agreements need attention (warnings are for "
        "those who may see the agreements' details; see /partnerships/{id}/warnings).",
    )


@router.get(
    "/partnerships",
    response={200: PartnershipPage, 422: Problem},
    url_name="partnership_list",
    summary="List partnerships",
)
def partnership_list(
    request: HttpRequest,
    filters: Query[PartnershipQuery],
    limit: Limit = 50,
    cursor: Cursor = None,
):
    """The registry as the caller may see it, filtered like the list page, newest start first."""
    refuse_repeated(request, PartnershipQuery)
    visible = Partnership.objects.visible_to(caller(request))
    qs: QuerySet[Partnership] = visible
    ordering = ORDERINGS["-start"]
    notices: list[str] = []
    # Building the registry's form deep-copies its choices (every country): only when it has work.
    if any(name in request.GET for name in PartnershipQuery.model_fields):
        form = PartnershipFilter(request.GET)
        ordering = ORDERINGS[form.values.get("sort", "-start")]
        qs = extensions.narrow(
            form.apply(Partnership.objects.visible_to(caller(request))),
            caller(request),
            form.values,
        )
        notices = [str(n) for n in form.notices]
    rows, next_url = paginate(
        request,
        qs.values(*PARTNERSHIP_VALUES),
        ordering,
        limit=limit,
        cursor=cursor,
        notices=notices,
    )
    rel = related([p["id"] for p in rows])
    url = url_maker(request, DETAIL_PAGE)
    return prepared(
        request,
        {
            "items": [partnership_out(p, rel, url) for p in rows],
            "next": next_url,
            "notices": notices,
        },
    )


def _respond(request: HttpRequest, response: HttpResponse, pk: int, status: int = 200):
    """The partnership `pk` as the caller may see it (404 if they may not), with its ETag."""
    row = Partnership.objects.visible_to(caller(request)).filter(pk=pk).values(*PARTNERSHIP_VALUES)
    partnership = row.first()
    if partnership is None:
        raise Http404
    url = url_maker(request, DETAIL_PAGE)
    out = partnership_out(partnership, related([pk]), url)
    answer = prepared(request, out, status=status)
    if "Location" in response:
        answer["Location"] = response["Location"]
    answer["ETag"] = out["etag"]
    return answer


@router.get(
    "/partnerships/{id}",
    response={200: PartnershipOut, 404: Problem},
    url_name="partnership_detail",
    summary="Read a partnership",
)
def partnership_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    """The ETag header (also in `etag`) is what If-Match needs for an update."""
    return _respond(request, response, id)


# --- writes ---------------------------------------------------------------------------------------


def _organizations(ids: list[int]) -> dict[int, Organization]:
    return Organization.objects.in_bulk(ids)


def _resolve(data: dict, current: Partnership | None = None) -> dict:
    """Turn ids, codes and names of the payload into the service's arguments (422 naming the path)."""
    errors: list[dict[str, str]] = []
    wanted = []
    if "lead" in data:
        wanted.append(data["lead"])
    wanted += [p["organization"] for p in data.get("participants") or []]
    found = _organizations(wanted)
    arguments = dict(data)
    if "lead" in data:
        lead = found.get(data["lead"])
        if lead is None:
            errors.append({"path": "lead", "message": _("There is no organization with this id.")})
        arguments["lead"] = lead
    if data.get("participants") is not None:
        specs = []
        for index, item in enumerate(data["participants"]):
            org = found.get(item["organization"])
            if org is None:
                errors.append(
                    {
                        "path": f"participants[{index}].organization",
                        "message": _("There is no organization with this id."),
                    }
                )
                continue
            specs.append(services.ParticipantSpec(org, item["role"]))
        arguments["participants"] = specs
    if data.get("projects") is not None:
        known = {p.code: p for p in WikimediaProject.objects.filter(code__in=data["projects"])}
        for index, code in enumerate(data["projects"]):
            if code not in known:
                errors.append(
                    {
                        "path": f"projects[{index}]",
                        "message": _("There is no Wikimedia project with this code."),
                    }
                )
        arguments["projects"] = list(known.values())
    if data.get("links") is not None:
        links = [
            ((link["label"] or "").strip() or link["url"], link["url"]) for link in data["links"]
        ]
        for index, (label, url) in enumerate(links):
            # The model's own checks (http and https addresses only), each error at its path.
            wrong = services.link_errors(PartnershipLink(label=label, url=url))
            errors += [
                {"path": f"links[{index}].{name}", "message": message}
                for name, messages in wrong.items()
                for message in messages
            ]
        arguments["links"] = links
    # The model's own rule on the dates (Partnership.clean), reported with the payload's other
    # errors so one answer names them all; the service checks it again through full_clean().
    dated = Partnership(
        start_date=data.get("start_date", current.start_date if current else None),
        end_date=data.get("end_date", current.end_date if current else None),
    )
    try:
        dated.clean()
    except ValidationError as exc:
        errors += django_errors(exc)
    if errors:
        raise ApiError(422, _("Some fields are invalid; see errors."), errors)
    if data.get("themes") is not None:
        arguments["themes"] = services.themes_from_names(data["themes"])
    return arguments


def _editable(request: HttpRequest, pk: int) -> Partnership:
    """The partnership for a write: 404 if invisible, 403 if visible but not editable."""
    return get_partnership_for(
        caller(request), pk, edit=True, refusal=_("You cannot edit this partnership.")
    )


def _may_edit(request: HttpRequest) -> None:
    """The writes' guard, run before the body is read (see `authorize_write`)."""
    precondition(request, _editable(request, path_id(request)))


@router.post(
    "/partnerships",
    auth=write_auth(may_create),
    response={201: PartnershipOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="partnership_create",
    summary="Create a partnership",
)
def partnership_create(request: HttpRequest, response: HttpResponse, payload: PartnershipCreate):
    """You must edit for the lead organization. Participants are part of the payload."""
    data = payload.model_dump()
    with transaction.atomic():
        arguments = _resolve(data)
        try:
            partnership = services.partnership_create(actor=caller(request), **arguments)
        except PermissionDenied as exc:
            # As on the page: a lead one does not edit for is an error of the lead field.
            raise invalid("lead", str(exc)) from exc
    response["Location"] = request.build_absolute_uri(
        request.path.rstrip("/") + f"/{partnership.pk}"
    )
    return _respond(request, response, partnership.pk, 201)


@router.patch(
    "/partnerships/{id}",
    auth=write_auth(_may_edit),
    response={200: PartnershipOut, **WRITE_ERRORS},
    url_name="partnership_update",
    summary="Change a partnership",
)
def partnership_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: PartnershipUpdate,
    if_match: str | None = IfMatch,
):
    """Send only the fields that change, with If-Match: the ETag of your last read."""
    partnership = _editable(request, id)
    expected = expected_version(partnership, if_match)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        arguments = _resolve(data, partnership)
        saved = services.partnership_update(
            actor=caller(request),
            partnership=partnership,
            expected_version=expected,
            **arguments,
        )
    return _respond(request, response, saved.pk)


@router.post(
    "/partnerships/{id}/end",
    auth=write_auth(_may_edit),
    response={200: PartnershipOut, **WRITE_ERRORS},
    url_name="partnership_end",
    summary="End a partnership",
)
def partnership_end(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: PartnershipEnd,
    if_match: str | None = IfMatch,
):
    """Completed, ended early or declined; it stays in the registry."""
    partnership = _editable(request, id)
    expected = expected_version(partnership, if_match)
    # A wrong end date is the service's ValidationError (Partnership.clean), answered as 422.
    saved = services.partnership_end(
        actor=caller(request),
        partnership=partnership,
        status=payload.status,
        end_date=payload.end_date,
        reason=payload.reason,
        expected_version=expected,
    )
    return _respond(request, response, saved.pk)
