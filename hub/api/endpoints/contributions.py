"""In-kind contributions, valuation rates and grants.

Reads go through the funding QuerySets (`visible_to`) and the pages' filters; writes through
the funding sub-packages' services with the ETag version check; a record is fetched with
permission through their `get_<entity>_for`. Money travels as decimal strings.

About 550 lines, over the usual 500: the contribution, rate and grant operations share this one
router, and the order they are declared in is the OpenAPI document's order (compared by the API
tests); splitting it means keeping that order across modules.
"""

import functools
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    Cursor,
    IfMatch,
    Limit,
    RecordId,
    TextFilter,
    etag_of,
    expected_version,
    may_create,
    page_url,
    path_id,
    precondition,
    prepared,
    refuse_repeated,
)
from hub.api.endpoints.directory import org_ref
from hub.api.pagination import Ordering, paginate
from hub.api.problems import ApiError, Problem
from hub.api.schemas import (
    ContributionCreate,
    ContributionOut,
    ContributionPage,
    ContributionUpdate,
    GrantCreate,
    GrantOut,
    GrantPage,
    GrantUpdate,
    RateOut,
    RatePage,
)
from hub.directory.models import Organization
from hub.funding.contributions import services as contributions
from hub.funding.contributions.access import get_contribution_for
from hub.funding.contributions.filters import CONTRIBUTION_SORTS, ContributionFilter
from hub.funding.contributions.models import InKindContribution
from hub.funding.grants import services as grants
from hub.funding.grants.access import get_grant_for
from hub.funding.grants.filters import GrantFilter
from hub.funding.grants.models import Grant
from hub.funding.rates.access import get_rate_for
from hub.funding.rates.models import ValuationRate
from hub.partnerships.models import Partnership

router = Router(tags=["funding"], auth=READ_AUTH)

CONTRIBUTION_ORDERINGS = {
    "-date": Ordering("-date", "date", descending=True, kind="date"),
    "date": Ordering("date", "date", kind="date"),
    "-value": Ordering("-value", "value", descending=True, kind="decimal"),
}
if set(CONTRIBUTION_ORDERINGS) != set(CONTRIBUTION_SORTS):
    raise RuntimeError("The API must offer exactly the contribution list's sort orders.")
GRANT_ORDERING = Ordering("-start", "period_start", descending=True, nullable=True, kind="date")
RATE_ORDERING = Ordering("from", "valid_from", descending=True, kind="date")
WRITE_ERRORS = {400: Problem, 403: Problem, 404: Problem, 412: Problem, 422: Problem, 428: Problem}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _partnership_ref(partnership_id: int | None, title: str | None) -> dict | None:
    """The linked partnership as `with_shown_partnership` let the caller see it (or None)."""
    return None if partnership_id is None else {"id": partnership_id, "title": title}


# --- contributions --------------------------------------------------------------------------------


# What an answer shows of a contribution, read as plain values: a model instance per contribution
# and per linked record cost more than the rest of a list request.
CONTRIBUTION_VALUES = (
    "id",
    "receiving_organization_id",
    "receiving_organization__name",
    "receiving_organization__short_code",
    "donor_organization_id",
    "donor_organization__name",
    "donor_organization__short_code",
    "donor_name",
    "shown_partnership_id",
    "shown_partnership_title",
    "date",
    "period_end",
    "category",
    "description",
    "quantity",
    "unit",
    "value",
    "currency",
    "valuation_method",
    "value_source",
    "evidence_url",
    "acknowledgement",
    "confidential",
    "archived",
    "version",
    "created_at",
    "updated_at",
)


def _contribution_rows(request: HttpRequest):
    """The contributions the caller may see, as `CONTRIBUTION_VALUES` dicts."""
    user = caller(request)
    return (
        InKindContribution.objects.visible_to(user)
        .with_shown_partnership(user)
        .values(*CONTRIBUTION_VALUES)
    )


def contribution_out(request: HttpRequest, c: dict) -> dict:
    """The documented ContributionOut of a `_contribution_rows` row."""
    donor_id = c["donor_organization_id"]
    return {
        "id": c["id"],
        "receiving_organization": {
            "id": c["receiving_organization_id"],
            "name": c["receiving_organization__name"],
            "short_code": c["receiving_organization__short_code"],
        },
        "donor_organization": None
        if donor_id is None
        else {
            "id": donor_id,
            "name": c["donor_organization__name"],
            "short_code": c["donor_organization__short_code"],
        },
        "donor_name": c["donor_name"],
        "partnership": _partnership_ref(c["shown_partnership_id"], c["shown_partnership_title"]),
        "date": c["date"],
        "period_end": c["period_end"],
        "category": c["category"],
        "description": c["description"],
        "quantity": _money(c["quantity"]),
        "unit": c["unit"],
        "value": _money(c["value"]),
        "currency": c["currency"],
        "valuation_method": c["valuation_method"],
        "value_source": c["value_source"],
        "evidence_url": c["evidence_url"],
        "acknowledgement": c["acknowledgement"],
        "confidential": c["confidential"],
        "archived": c["archived"],
        "version": c["version"],
        "etag": f'"{c["id"]}-{c["version"]}"',
        "created_at": c["created_at"],
        "updated_at": c["updated_at"],
        "url": page_url(request, "funding:contribution_detail", c["id"]),
    }


class ContributionQuery(Schema):
    """The contribution list's filters; values it cannot use are ignored and listed in `notices`."""

    q: TextFilter = Field(None, description="Text in description, donor or acknowledgement.")
    organization: TextFilter = Field(None, description="Id of the receiving organization.")
    donor: TextFilter = Field(None, description="Donor name or code.")
    partnership: TextFilter = Field(None, description="Id of the partnership.")
    category: list[str] | None = Field(None, description="Category; repeatable.")
    year: TextFilter = Field(None, description="Year of the contribution's date.")
    confidential: TextFilter = Field(None, description="yes or no.")
    archived: TextFilter = Field(None, description="`on`: archived ones instead of current ones.")
    sort: TextFilter = Field(None, description="-date (default), date, -value.")


@functools.cache
def _no_contribution_filters() -> ContributionFilter:
    """The list's form for a request without filters, built once (building a form deep-copies its
    fields and their choices). It is only read: `apply`, `values`, `notices`."""
    return ContributionFilter({})


def _contribution_answer(request, response, pk: int, status=200):
    """The contribution `pk` as the caller may see it, with its ETag (404 if they may not)."""
    row = _contribution_rows(request).filter(pk=pk).first()
    if row is None:
        raise Http404
    out = contribution_out(request, row)
    response["ETag"] = out["etag"]
    return Status(status, out)


@router.get(
    "/contributions",
    response={200: ContributionPage, 422: Problem},
    url_name="contribution_list",
    summary="List in-kind contributions",
)
def contribution_list(
    request: HttpRequest,
    filters: Query[ContributionQuery],
    limit: Limit = 50,
    cursor: Cursor = None,
):
    """Confidential contributions only for members of the receiving or donor organization."""
    refuse_repeated(request, ContributionQuery)
    form = (
        ContributionFilter(request.GET, user=caller(request))
        if any(name in request.GET for name in ContributionQuery.model_fields)
        else _no_contribution_filters()
    )
    notices = [str(n) for n in form.notices]
    ordering = CONTRIBUTION_ORDERINGS[form.values.get("sort", "-date")]
    rows, next_url = paginate(
        request,
        form.apply(_contribution_rows(request), caller(request)),
        ordering,
        limit=limit,
        cursor=cursor,
        notices=notices,
    )
    items = [contribution_out(request, c) for c in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/contributions/{id}",
    response={200: ContributionOut, 404: Problem},
    url_name="contribution_detail",
    summary="Read an in-kind contribution",
)
def contribution_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    return _contribution_answer(request, response, id)


def _resolve_refs(request: HttpRequest, data: dict[str, Any], org_fields: tuple[str, ...]) -> dict:
    """Ids of organizations and partnerships to records (422 naming the field if unknown)."""
    errors = []
    ids = [data[name] for name in org_fields if data.get(name) is not None]
    found = Organization.objects.in_bulk(ids)
    arguments = dict(data)
    for name in org_fields:
        if name in data and data[name] is not None:
            arguments[name] = found.get(data[name])
            if arguments[name] is None:
                errors.append(
                    {"path": name, "message": _("There is no organization with this id.")}
                )
    if data.get("partnership") is not None:
        arguments["partnership"] = (
            Partnership.objects.visible_to(caller(request)).filter(pk=data["partnership"]).first()
        )
        if arguments["partnership"] is None:
            errors.append(
                {
                    "path": "partnership",
                    "message": _("There is no partnership with this id that you may see."),
                }
            )
    for name in ("value", "quantity", "amount"):
        if isinstance(data.get(name), str):
            arguments[name] = Decimal(data[name])
    if errors:
        raise ApiError(422, _("Some fields are invalid; see errors."), errors)
    return arguments


def _may_edit_contribution(request: HttpRequest) -> None:
    """The writes' guard, run before the body is read (see `authorize_write`)."""
    precondition(request, get_contribution_for(caller(request), path_id(request), edit=True))


@router.post(
    "/contributions",
    auth=write_auth(may_create),
    response={201: ContributionOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="contribution_create",
    summary="Record an in-kind contribution",
)
def contribution_create(request: HttpRequest, response: HttpResponse, payload: ContributionCreate):
    data = payload.model_dump()
    with transaction.atomic():
        arguments = _resolve_refs(request, data, ("receiving_organization", "donor_organization"))
        try:
            contribution = contributions.contribution_create(actor=caller(request), **arguments)
        except PermissionDenied as exc:
            raise ApiError(
                403, str(exc), [{"path": "receiving_organization", "message": str(exc)}]
            ) from exc
    response["Location"] = request.build_absolute_uri(
        f"{request.path.rstrip('/')}/{contribution.pk}"
    )
    return _contribution_answer(request, response, contribution.pk, 201)


@router.patch(
    "/contributions/{id}",
    auth=write_auth(_may_edit_contribution),
    response={200: ContributionOut, **WRITE_ERRORS},
    url_name="contribution_update",
    summary="Change an in-kind contribution",
)
def contribution_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: ContributionUpdate,
    if_match: str | None = IfMatch,
):
    contribution = get_contribution_for(caller(request), id, edit=True)
    expected = expected_version(contribution, if_match)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        arguments = _resolve_refs(request, data, ("receiving_organization", "donor_organization"))
        saved = contributions.contribution_update(
            actor=caller(request), contribution=contribution, expected_version=expected, **arguments
        )
    return _contribution_answer(request, response, saved.pk)


@router.post(
    "/contributions/{id}/archive",
    auth=write_auth(_may_edit_contribution),
    response={200: ContributionOut, **WRITE_ERRORS},
    url_name="contribution_archive",
    summary="Archive an in-kind contribution",
)
def contribution_archive(
    request: HttpRequest, response: HttpResponse, id: RecordId, if_match: str | None = IfMatch
):
    """It leaves lists, totals and exports, and stays with its history."""
    contribution = get_contribution_for(caller(request), id, edit=True)
    expected = expected_version(contribution, if_match)
    saved = contributions.contribution_archive(
        actor=caller(request), contribution=contribution, expected_version=expected
    )
    return _contribution_answer(request, response, saved.pk)


# --- valuation rates ------------------------------------------------------------------------------


def rate_out(rate: ValuationRate) -> dict:
    return {
        "id": rate.pk,
        "organization": org_ref(rate.organization),
        "category": rate.category,
        "unit": rate.unit,
        "amount": _money(rate.amount),
        "currency": rate.currency,
        "valid_from": rate.valid_from,
        "valid_to": rate.valid_to,
        "note": rate.note,
    }


class RateQuery(Schema):
    organization: int | None = Field(None, ge=1, le=2**62, description="Id of the organization.")


@router.get(
    "/valuation-rates",
    response={200: RatePage, 422: Problem},
    url_name="rate_list",
    summary="List valuation rates",
)
def rate_list(
    request: HttpRequest, filters: Query[RateQuery], limit: Limit = 50, cursor: Cursor = None
):
    """Organizations' constants (an hour of volunteer time, a day of space...): public."""
    refuse_repeated(request, RateQuery)
    qs = ValuationRate.objects.select_related("organization")
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    notices: list[str] = []
    rows, next_url = paginate(
        request, qs, RATE_ORDERING, limit=limit, cursor=cursor, notices=notices
    )
    items = [rate_out(r) for r in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/valuation-rates/{id}",
    response={200: RateOut, 404: Problem},
    url_name="rate_detail",
    summary="Read a valuation rate",
)
def rate_detail(request: HttpRequest, id: RecordId):
    return rate_out(get_rate_for(caller(request), id))


# --- grants ---------------------------------------------------------------------------------------


def _grants(request: HttpRequest):
    user = caller(request)
    return (
        Grant.objects.visible_to(user)
        .with_shown_partnership(user)
        .select_related("funder", "recipient")
        .prefetch_related("deadlines")
    )


def grant_out(request: HttpRequest, g: Any) -> dict:
    return {
        "id": g.pk,
        "title": g.title,
        "funder": org_ref(g.funder),
        "recipient": org_ref(g.recipient),
        "partnership": _partnership_ref(g.shown_partnership_id, g.shown_partnership_title),
        "amount": _money(g.amount),
        "currency": g.currency,
        "restricted": g.restricted,
        "restriction": g.restriction,
        "period_start": g.period_start,
        "period_end": g.period_end,
        "status": g.status,
        "description": g.description,
        "confidential": g.confidential,
        "deadlines": [
            {"due_date": d.due_date, "description": d.description, "done": d.done}
            for d in sorted(g.deadlines.all(), key=lambda d: (d.due_date, d.pk))
        ],
        "version": g.version,
        "etag": etag_of(g),
        "created_at": g.created_at,
        "updated_at": g.updated_at,
        "url": page_url(request, "funding:grant_detail", g.pk),
    }


class GrantQuery(Schema):
    """The grant list's filters; values it cannot use are ignored and listed in `notices`."""

    q: TextFilter = Field(None, description="Text in title, description or restriction.")
    organization: TextFilter = Field(None, description="Id of the recipient.")
    funder: TextFilter = Field(None, description="Funder name or code.")
    partnership: TextFilter = Field(None, description="Id of the partnership.")
    status: list[str] | None = Field(None, description="Status; repeatable.")
    restricted: TextFilter = Field(None, description="yes or no.")
    year: TextFilter = Field(None, description="Grants whose period includes part of this year.")


def _may_edit_grant(request: HttpRequest) -> None:
    """The writes' guard, run before the body is read (see `authorize_write`)."""
    precondition(request, get_grant_for(caller(request), path_id(request), edit=True))


def _grant_answer(request, response, grant, status=200):
    """The grant as the caller may see it now, with its deadlines and ETag (404 if they may not)."""
    grant = _grants(request).filter(pk=grant.pk).first()
    if grant is None:
        raise Http404
    response["ETag"] = etag_of(grant)
    return Status(status, grant_out(request, grant))


@router.get(
    "/grants",
    response={200: GrantPage, 422: Problem},
    url_name="grant_list",
    summary="List grants",
)
def grant_list(
    request: HttpRequest, filters: Query[GrantQuery], limit: Limit = 50, cursor: Cursor = None
):
    """Confidential grants only for members of the recipient or funder."""
    refuse_repeated(request, GrantQuery)
    form = GrantFilter(request.GET, user=caller(request))
    notices = [str(n) for n in form.notices]
    rows, next_url = paginate(
        request,
        form.apply(_grants(request), caller(request)),
        GRANT_ORDERING,
        limit=limit,
        cursor=cursor,
        notices=notices,
    )
    items = [grant_out(request, g) for g in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/grants/{id}",
    response={200: GrantOut, 404: Problem},
    url_name="grant_detail",
    summary="Read a grant",
)
def grant_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    return _grant_answer(request, response, get_grant_for(caller(request), id))


@router.post(
    "/grants",
    auth=write_auth(may_create),
    response={201: GrantOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="grant_create",
    summary="Record a grant",
)
def grant_create(request: HttpRequest, response: HttpResponse, payload: GrantCreate):
    data = payload.model_dump()
    with transaction.atomic():
        arguments = _resolve_refs(request, data, ("funder", "recipient"))
        try:
            grant = grants.grant_create(actor=caller(request), **arguments)
        except PermissionDenied as exc:
            raise ApiError(403, str(exc), [{"path": "recipient", "message": str(exc)}]) from exc
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{grant.pk}")
    return _grant_answer(request, response, grant, 201)


@router.patch(
    "/grants/{id}",
    auth=write_auth(_may_edit_grant),
    response={200: GrantOut, **WRITE_ERRORS},
    url_name="grant_update",
    summary="Change a grant",
)
def grant_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: GrantUpdate,
    if_match: str | None = IfMatch,
):
    grant = get_grant_for(caller(request), id, edit=True)
    expected = expected_version(grant, if_match)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        arguments = _resolve_refs(request, data, ("funder", "recipient"))
        saved = grants.grant_update(
            actor=caller(request), grant=grant, expected_version=expected, **arguments
        )
    return _grant_answer(request, response, saved)
