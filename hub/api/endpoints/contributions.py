"""In-kind contributions: list, read, record, change and archive.

Reads go through `InKindContribution.objects.visible_to` and the contribution list's filters;
writes through `hub.funding.contributions.services` with the ETag version check; a record is
fetched with permission through `get_contribution_for`. Money travels as decimal strings.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
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
    page_url,
    path_id,
    precondition,
    prepared,
    refuse_repeated,
)
from hub.api.endpoints.money import money, partnership_ref, resolve_refs
from hub.api.pagination import Ordering, paginate
from hub.api.problems import ApiError, Problem
from hub.api.schemas import (
    ContributionCreate,
    ContributionOut,
    ContributionPage,
    ContributionUpdate,
)
from hub.funding.contributions import services as contributions
from hub.funding.contributions.access import get_contribution_for
from hub.funding.contributions.filters import CONTRIBUTION_SORTS, ContributionFilter
from hub.funding.contributions.models import InKindContribution

router = Router(tags=["funding"], auth=READ_AUTH)

CONTRIBUTION_ORDERINGS = {
    "-date": Ordering("-date", "date", descending=True, kind="date"),
    "date": Ordering("date", "date", kind="date"),
    "-value": Ordering("-value", "value", descending=True, kind="decimal"),
}
if set(CONTRIBUTION_ORDERINGS) != set(CONTRIBUTION_SORTS):
    raise RuntimeError("The API must offer exactly the contribution list's sort orders.")


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
        "partnership": partnership_ref(c["shown_partnership_id"], c["shown_partnership_title"]),
        "date": c["date"],
        "period_end": c["period_end"],
        "category": c["category"],
        "description": c["description"],
        "quantity": money(c["quantity"]),
        "unit": c["unit"],
        "value": money(c["value"]),
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
        arguments = resolve_refs(request, data, ("receiving_organization", "donor_organization"))
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
        arguments = resolve_refs(request, data, ("receiving_organization", "donor_organization"))
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
