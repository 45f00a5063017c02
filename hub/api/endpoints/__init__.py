"""The API's operations, one module per domain area. Shared parameters live here."""

import re
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Path, Query
from pydantic import Field

from hub.api.auth import caller
from hub.api.problems import ApiError, Problem
from hub.core.exceptions import StaleVersionError
from hub.directory.access import may_create as may_create_records

Limit = Annotated[int, Query(description="Items per page, 1 to 100.", ge=1, le=100)]
Cursor = Annotated[
    str | None,
    Query(description="The opaque cursor from the previous page's `next` link.", max_length=500),
]
MAX_ID = 2**62
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
TextFilter = Annotated[str | None, Field(None, max_length=200)]
# The error answers a change of a versioned record documents (a create has no 404, 412 or 428).
WRITE_ERRORS = {400: Problem, 403: Problem, 404: Problem, 412: Problem, 422: Problem, 428: Problem}


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


# RFC 9110 entity-tags in an If-Match list: `"13-1", W/"13-2"`. Our ETags are strong.
ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')
OUR_ETAG = re.compile(r"^(\d+)-(\d+)$")
IfMatch = Header(
    None,
    alias="If-Match",
    description=(
        'The ETag you read, e.g. "12-3" (or a list of them). Required: without it the answer is '
        "428; when none matches the record (strong comparison: weak ETags never match) it is 412."
    ),
    max_length=2000,
)


def etag_of(record) -> str:
    """Records with a `version` answer this as their ETag: "<id>-<version>"."""
    return f'"{record.pk}-{record.version}"'


def expected_version(record, if_match: str | None) -> int:
    """The version the client read, from If-Match (RFC 9110, strong comparison): 428 when missing,
    412 when no ETag of the list is this record's. Items that are not entity-tags ("*", a typo)
    match nothing. With several of this record's ETags, the current one wins; a single stale one
    is handed to the service, which answers 412."""
    text = (if_match or "").strip()
    if not text:
        raise ApiError(428, _("Send If-Match with the ETag you read, so no change is overwritten."))
    versions, weak = [], False
    for match in ENTITY_TAG.finditer(text):
        ours = OUR_ETAG.match(match.group(2))
        if ours and int(ours.group(1)) == record.pk:
            if match.group(1):
                weak = True
            else:
                versions.append(int(ours.group(2)))
    if versions:
        return record.version if record.version in versions else versions[0]
    if weak:
        raise ApiError(412, _('If-Match needs the ETag as you read it, without "W/".'))
    if text == "*":
        raise ApiError(
            428,
            _(
                "If-Match: * is not accepted here: send the ETag you read, so no change is overwritten."
            ),
        )
    if OUR_ETAG.match(text.strip('"')) and not text.startswith('"'):
        raise ApiError(412, _('An ETag is sent in double quotes, as read: If-Match: "12-3".'))
    raise ApiError(412, _("If-Match does not match this record's ETag; read the record again."))


def precondition(request: HttpRequest, record) -> None:
    """A change's If-Match, checked before its body is read (RFC 9110 §13.2.2: preconditions come
    before the content): 428 without it, 412 when it is not the record's current ETag."""
    if expected_version(record, request.headers.get("If-Match")) != record.version:
        raise StaleVersionError(record.version)


def path_id(request: HttpRequest) -> int:
    """The `{id}` of the operation's path, read before ninja validates it: an id that cannot name
    a record answers 404 like one the caller may not see."""
    match = request.resolver_match
    try:
        pk = int(str(match.kwargs["id"])) if match else 0
    except (KeyError, ValueError):
        raise Http404 from None
    if not 1 <= pk <= MAX_ID:
        raise Http404
    return pk


def may_create(request: HttpRequest) -> None:
    """A create's guard: as on the pages' "new" forms, only someone who edits for an organization
    (or staff) may start one (403); whom they create it for is checked with the payload."""
    if not may_create_records(caller(request)):
        raise PermissionDenied(_("You do not edit for any organization."))


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
