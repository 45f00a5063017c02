"""Organizations, alliances and contact people: read-only in version 1 of the API."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import (
    Cursor,
    Limit,
    RecordId,
    TextFilter,
    page_url,
    prepared,
    refuse_repeated,
)
from hub.api.pagination import Ordering, paginate
from hub.api.problems import Problem
from hub.api.schemas import (
    AllianceOut,
    AlliancePage,
    OrganizationOut,
    OrganizationPage,
    PersonOut,
    PersonPage,
)
from hub.directory.access import get_organization_for, get_person_for
from hub.directory.forms import OrganizationFilter
from hub.directory.models import AllianceMembership, Organization, Person

router = Router(tags=["directory"], auth=READ_AUTH)

BY_NAME = Ordering("name", "name")


def org_ref(org: Organization) -> dict:
    return {"id": org.pk, "name": org.name, "short_code": org.short_code}


def organization_fields(org: Organization) -> dict:
    """An organization's public facts as JSON values: the one shape the API's OrganizationOut and
    the open-data dump (hub/api/opendata/datasets.py) share. No short code is None (the document
    says nullable); the dump's CSV writes it as an empty cell."""
    return {
        "id": org.pk,
        "name": org.name,
        "local_name": org.local_name,
        "short_code": org.short_code or None,
        "kind": org.kind,
        "movement": org.is_movement,
        "status": org.status,
        "country": str(org.country or ""),
        "city": org.city,
        "recognized_on": org.recognized_on,
        "website": org.website,
        "wikidata_id": org.wikidata_id,
        "wikidata_labels": dict(org.wikidata_labels or {}),
        "ror_id": org.ror_id,
        "isil": org.isil,
        "viaf_id": org.viaf_id,
        "description": org.description,
    }


def org_out(request: HttpRequest, org: Organization) -> dict:
    return {
        **organization_fields(org),
        "url": page_url(request, "directory:organization", org.pk),
    }


def alliance_out(request: HttpRequest, org: Organization) -> dict:
    return {
        **org_out(request, org),
        "members": [
            {
                "organization": org_ref(m.member),
                "role": m.role,
                "since": m.since,
                "until": m.until,
            }
            for m in org.memberships.all()
        ],
    }


class OrganizationQuery(Schema):
    q: TextFilter = Field(None, description="Text in the name, local name, code, city or Q-id.")
    kind: TextFilter = Field(
        None,
        description="An organization kind, or `movement` / `external` for any of those.",
    )
    country: TextFilter = Field(None, description="ISO 3166 country code, e.g. AT.")
    status: TextFilter = Field(None, description="`active` or `former`.")


def _notices(form) -> list[str]:
    return [str(notice) for notice in form.notices]


@router.get(
    "/organizations",
    response={200: OrganizationPage, 422: Problem},
    url_name="organization_list",
    summary="List organizations",
)
def organization_list(
    request: HttpRequest,
    filters: Query[OrganizationQuery],
    limit: Limit = 50,
    cursor: Cursor = None,
):
    """Movement and external organizations of the directory (all of them are public)."""
    refuse_repeated(request, OrganizationQuery)
    form = OrganizationFilter(request.GET)
    notices = _notices(form)
    rows, next_url = paginate(
        request,
        form.apply(Organization.objects.all()),
        BY_NAME,
        limit=limit,
        cursor=cursor,
        notices=notices,
    )
    items = [org_out(request, org) for org in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/organizations/{id}",
    response={200: OrganizationOut, 404: Problem},
    url_name="organization_detail",
    summary="Read an organization",
)
def organization_detail(request: HttpRequest, id: RecordId):
    return org_out(request, get_organization_for(caller(request), id))


def _alliances():
    return Organization.objects.alliances().prefetch_related(
        Prefetch(
            "memberships",
            queryset=AllianceMembership.objects.select_related("member").order_by(
                "member__name", "pk"
            ),
        )
    )


@router.get(
    "/alliances",
    response={200: AlliancePage, 422: Problem},
    url_name="alliance_list",
    summary="List alliances and hubs with their members",
)
def alliance_list(
    request: HttpRequest,
    filters: Query[OrganizationQuery],
    limit: Limit = 50,
    cursor: Cursor = None,
):
    refuse_repeated(request, OrganizationQuery)
    form = OrganizationFilter(request.GET)
    notices = _notices(form)
    rows, next_url = paginate(
        request, form.apply(_alliances()), BY_NAME, limit=limit, cursor=cursor, notices=notices
    )
    items = [alliance_out(request, org) for org in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/alliances/{id}",
    response={200: AllianceOut, 404: Problem},
    url_name="alliance_detail",
    summary="Read an alliance or hub with its members",
)
def alliance_detail(request: HttpRequest, id: RecordId):
    org = _alliances().filter(pk=id).first()
    if org is None:
        raise Http404
    return alliance_out(request, org)


def person_out(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "role": person.role,
        "email": person.email,
        "phone": person.phone,
        "organization": org_ref(person.organization),
        "steward": org_ref(person.steward),
        "consent_note": person.consent_note,
        "archived": person.archived,
    }


class PersonQuery(Schema):
    organization: int | None = Field(None, ge=1, le=2**62, description="Id of their organization.")
    archived: bool | None = Field(None, description="Only archived (true) or current (false).")


def _people(request: HttpRequest):
    return Person.objects.visible_to(caller(request)).select_related("organization", "steward")


@router.get(
    "/people",
    response={200: PersonPage, 422: Problem},
    url_name="person_list",
    summary="List contact people you may see",
)
def person_list(
    request: HttpRequest, filters: Query[PersonQuery], limit: Limit = 50, cursor: Cursor = None
):
    """Contact people are never public: members see those their organizations keep."""
    refuse_repeated(request, PersonQuery)
    qs = _people(request)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.archived is not None:
        qs = qs.filter(archived=filters.archived)
    notices: list[str] = []
    rows, next_url = paginate(request, qs, BY_NAME, limit=limit, cursor=cursor, notices=notices)
    items = [person_out(p) for p in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/people/{id}",
    response={200: PersonOut, 404: Problem},
    url_name="person_detail",
    summary="Read a contact person",
)
def person_detail(request: HttpRequest, id: RecordId):
    return person_out(get_person_for(caller(request), id))
