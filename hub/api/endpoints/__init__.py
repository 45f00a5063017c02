"""The API's operations, one module per domain area. Shared parameters live here."""

import re
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Path, Query
from pydantic import Field

from hub.api.problems import ApiError

Limit = Annotated[int, Query(description="Items per page, 1 to 100.", ge=1, le=100)]
Cursor = Annotated[
    str | None,
    Query(description="The opaque cursor from the previous page's `next` link.", max_length=500),
]
RecordId = Annotated[int, Path(ge=1, le=2**62)]
TextFilter = Annotated[str | None, Field(None, max_length=200)]


def prepared(request: HttpRequest, data: dict, status: int = 200) -> HttpResponse:
    """Answer `data` as JSON without ninja validating it again through the response schema.

    Only for answers built by the endpoint's own `*_out` functions from database values: they
    produce exactly the documented shape (the contract and schemathesis tests check it), and
    re-validating 50 items cost more than building them.
    """
    from hub.api.api import api  # the API module imports the endpoints

    return api.create_response(request, data, status=status)


URL_SLOT = 987654321


def url_maker(request: HttpRequest, viewname: str):
    """A function pk -> absolute URL of `viewname`: one reverse() per page instead of one per row."""
    template = request.build_absolute_uri(reverse(viewname, args=[URL_SLOT]))
    head, tail = template.split(str(URL_SLOT), 1)
    return lambda pk: f"{head}{pk}{tail}"


def page_url(request: HttpRequest, viewname: str, pk: int) -> str:
    """The absolute URL of the page `viewname` of record `pk`, reversing once per request."""
    makers = request.__dict__.setdefault("_hub_page_urls", {})
    if viewname not in makers:
        makers[viewname] = url_maker(request, viewname)
    return str(makers[viewname](pk))


ETAG = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')
IfMatch = Header(
    None,
    alias="If-Match",
    description='The ETag you read, e.g. "12-3". Required; a stale one answers 412.',
    max_length=100,
)


def etag_of(record) -> str:
    """Records with a `version` answer this as their ETag: "<id>-<version>"."""
    return f'"{record.pk}-{record.version}"'


def expected_version(record, if_match: str | None) -> int:
    """The version the client read, from If-Match: 428 when missing, 412 when it does not match."""
    if not if_match or if_match.strip() == "*":
        raise ApiError(
            428,
            _("Send If-Match with the ETag you read (now %(etag)s), so no change is overwritten.")
            % {"etag": etag_of(record)},
        )
    match = ETAG.match(if_match.strip())
    if match is None or int(match.group(1)) != record.pk:
        raise ApiError(412, _("If-Match does not match this record's ETag; read the record again."))
    return int(match.group(2))


def refuse_repeated(request, query_schema) -> None:
    """A parameter the document gives one value may not come twice (422 naming it)."""
    repeated = [
        name
        for name, field in query_schema.model_fields.items()
        if "list" not in str(field.annotation) and len(request.GET.getlist(name)) > 1
    ]
    repeated += [name for name in ("limit", "cursor") if len(request.GET.getlist(name)) > 1]
    if repeated:
        raise ApiError(
            422,
            _("Some fields are invalid; see errors."),
            [{"path": name, "message": _("Give this parameter once.")} for name in repeated],
        )
