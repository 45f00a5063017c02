"""The resource library: read and write (files are uploaded on the resource's page; the API gives
their download address).

Reads go through `Resource.objects.visible_to`; writes through hub.knowledge.resources.services;
a record is fetched with permission through hub.knowledge.resources.access. A change needs the
resource's ETag (If-Match), as lessons do.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    WRITE_ERRORS,
    Cursor,
    IfMatch,
    Limit,
    RecordId,
    etag_of,
    expected_version,
    page_url,
    path_id,
    precondition,
    prepared,
    refuse_repeated,
)
from hub.api.endpoints.directory import org_ref
from hub.api.endpoints.knowledge import NEWEST, organization_field, topics_of
from hub.api.endpoints.resources_schemas import (
    ResourceCreate,
    ResourceOut,
    ResourcePage,
    ResourceQuery,
    ResourceUpdate,
)
from hub.api.pagination import paginate
from hub.api.problems import Problem
from hub.knowledge.models import writes_for
from hub.knowledge.resources import services
from hub.knowledge.resources.access import get_resource_for
from hub.knowledge.resources.forms import ResourceFilter
from hub.knowledge.resources.models import Resource

router = Router(tags=["knowledge"], auth=READ_AUTH)


def _resources(user):
    return Resource.objects.visible_to(user).select_related("organization").prefetch_related("tags")


def resource_out(request: HttpRequest, resource: Any) -> dict:
    return {
        "id": resource.pk,
        "title": resource.title,
        "kind": resource.kind,
        "description": resource.description,
        "address": resource.url,
        "file": page_url(request, "knowledge:resource_file", resource.pk)
        if resource.file
        else None,
        "file_name": resource.file_name,
        "size": resource.size,
        "language": resource.language,
        "licence": resource.licence,
        "review_by": resource.review_by,
        "due_for_review": resource.needs_review,
        "organization": org_ref(resource.organization),
        **topics_of(resource.tags.all()),
        "visibility": resource.visibility,
        "is_demo": resource.is_demo,
        "version": resource.version,
        "etag": etag_of(resource),
        "created_at": resource.created_at,
        "updated_at": resource.updated_at,
        "url": page_url(request, "knowledge:resource_detail", resource.pk),
    }


def _answer(request, response, resource, status=200):
    found = _resources(caller(request)).get(pk=resource.pk)
    response["ETag"] = etag_of(found)
    return Status(status, resource_out(request, found))


def _addressed(data: dict) -> dict:
    if "address" in data:
        data["url"] = data.pop("address")
    return data


def _saved(write):
    """The service's answer; its errors on the model's `url` are the API's `address`."""
    try:
        return write()
    except ValidationError as error:
        if hasattr(error, "error_dict") and "url" in error.error_dict:
            error.error_dict["address"] = error.error_dict.pop("url")
        raise


@router.get(
    "/resources",
    response={200: ResourcePage, 422: Problem},
    url_name="resource_list",
    summary="List the resource library",
)
def resource_list(
    request: HttpRequest, filters: Query[ResourceQuery], limit: Limit = 50, cursor: Cursor = None
):
    refuse_repeated(request, ResourceQuery)
    form = ResourceFilter(request.GET)
    rows, next_url = paginate(
        request,
        form.apply(_resources(caller(request))).distinct(),
        NEWEST,
        limit=limit,
        cursor=cursor,
        notices=[],
    )
    items = [resource_out(request, resource) for resource in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": []})


@router.get(
    "/resources/{id}",
    response={200: ResourceOut, 404: Problem},
    url_name="resource_detail",
    summary="Read a resource",
)
def resource_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    return _answer(request, response, get_resource_for(caller(request), id))


def _may_write(request: HttpRequest) -> None:
    if not writes_for(caller(request)).exists():
        raise PermissionDenied(_("Members of a movement organization share resources."))


@router.post(
    "/resources",
    auth=write_auth(_may_write),
    response={201: ResourceOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="resource_create",
    summary="Share a resource (a link)",
)
def resource_create(request: HttpRequest, response: HttpResponse, payload: ResourceCreate):
    user = caller(request)
    data = _addressed(payload.model_dump())
    with transaction.atomic():
        data["organization"] = organization_field(data["organization"])
        resource = _saved(lambda: services.resource_create(actor=user, **data))
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{resource.pk}")
    return _answer(request, response, resource, 201)


def _may_edit(request: HttpRequest) -> None:
    precondition(request, get_resource_for(caller(request), path_id(request), edit=True))


@router.patch(
    "/resources/{id}",
    auth=write_auth(_may_edit),
    response={200: ResourceOut, **WRITE_ERRORS},
    url_name="resource_update",
    summary="Change a resource",
)
def resource_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: ResourceUpdate,
    if_match: str | None = IfMatch,
):
    user = caller(request)
    resource = get_resource_for(user, id, edit=True)
    expected = expected_version(resource, if_match)
    data = _addressed(payload.model_dump(exclude_unset=True))
    saved = _saved(
        lambda: services.resource_update(
            actor=user, resource=resource, expected_version=expected, **data
        )
    )
    return _answer(request, response, saved)


def _may_remove(request: HttpRequest) -> None:
    get_resource_for(caller(request), path_id(request), edit=True)


@router.delete(
    "/resources/{id}",
    auth=write_auth(_may_remove),
    response={204: None, 403: Problem, 404: Problem},
    url_name="resource_delete",
    summary="Remove a resource from the library",
)
def resource_delete(request: HttpRequest, id: RecordId):
    user = caller(request)
    services.resource_delete(actor=user, resource=get_resource_for(user, id, edit=True))
    return Status(204, None)
