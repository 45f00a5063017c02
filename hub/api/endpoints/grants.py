"""Grants: list, read, record and change, with their deadlines.

Reads go through `Grant.objects.visible_to` and the grant list's filters; writes through
`hub.funding.grants.services` with the ETag version check; a grant is fetched with permission
through `get_grant_for`. Money travels as decimal strings.
"""

from typing import Any

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
from hub.api.endpoints.money import money, partnership_ref, resolve_refs
from hub.api.pagination import Ordering, paginate
from hub.api.problems import ApiError, Problem
from hub.api.schemas import GrantCreate, GrantOut, GrantPage, GrantUpdate
from hub.funding.grants import services as grants
from hub.funding.grants.access import get_grant_for
from hub.funding.grants.filters import GrantFilter
from hub.funding.grants.models import Grant

router = Router(tags=["funding"], auth=READ_AUTH)

GRANT_ORDERING = Ordering("-start", "period_start", descending=True, nullable=True, kind="date")


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
        "partnership": partnership_ref(g.shown_partnership_id, g.shown_partnership_title),
        "amount": money(g.amount),
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
        arguments = resolve_refs(request, data, ("funder", "recipient"))
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
        arguments = resolve_refs(request, data, ("funder", "recipient"))
        saved = grants.grant_update(
            actor=caller(request), grant=grant, expected_version=expected, **arguments
        )
    return _grant_answer(request, response, saved)
