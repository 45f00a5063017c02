"""The reconciliation service's endpoints: the manifest and query batches on one URL, previews,
and the entity, type and property suggest services.

Every answer allows every origin (CORS, without credentials, as the specification asks) and GET
answers JSONP for a `callback`. Bad input is a JSON `{"error": ...}` naming the query and field
(400, or 413 for an oversized batch); a wrong token 401; too many calls 429.
"""

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hub.api import auth
from hub.api.reconcile import manifest as manifest_module
from hub.api.reconcile.queries import QueryError, read_batch
from hub.api.reconcile.scoring import reconcile
from hub.api.reconcile.vocabulary import PROPERTIES, types
from hub.directory.models import Organization
from hub.partnerships.models import Partnership

SUGGEST_SIZE = 10
MAX_CURSOR = 1000
MAX_PREFIX = 200
PREVIEW_PARTNERSHIPS = 5
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}


class Refusal(Exception):
    def __init__(self, message: str, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}


def organizations_for(user) -> QuerySet[Organization]:
    """The organizations the service answers from for `user`: the directory is public, so every
    one (as hub/directory/access.py's `get_organization_for` shows them to everyone)."""
    return Organization.objects.all()


def _caller(request: HttpRequest):
    """The owner of the Bearer token sent, or anonymous; the session is not read (see the
    package's docstring). Counts the call against the API's rate limits."""
    user: Any = AnonymousUser()
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _space, secret = header.strip().partition(" ")
        token = auth.find_token(secret) if scheme.lower() == "bearer" and secret.strip() else None
        if token is None:
            raise Refusal(
                _("The token is unknown or revoked; send Authorization: Bearer phub_..."), 401
            )
        request.api_token = token  # type: ignore[attr-defined]
        user = token.user
    allowed, wait = auth.count_request(request)
    if not allowed:
        raise Refusal(_("Too many requests; try again later."), 429, {"Retry-After": str(wait)})
    return user


def _json(request: HttpRequest, data: dict, status: int = 200) -> HttpResponse:
    callback = request.GET.get("callback") if request.method == "GET" else None
    if callback is None:
        return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if not _CALLBACK.match(callback) or len(callback) > 100:
        return JsonResponse({"error": _("The callback must be a JavaScript name.")}, status=400)
    body = f"/**/{callback}({json.dumps(data, ensure_ascii=False)});"
    return HttpResponse(body, status=status, content_type="application/javascript; charset=utf-8")


def cors(view: Callable) -> Callable:
    """Open to every origin, without credentials; answers a preflight itself; turns a
    `Refusal` into its JSON answer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = _json(request, {"error": _("There is no such organization here.")}, 404)
            except Refusal as refusal:
                response = _json(request, {"error": refusal.message}, refusal.status)
                for name, value in refusal.headers.items():
                    response[name] = value
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    return wrapped


@csrf_exempt  # reads only; OpenRefine posts a form from outside the site
@cors
@require_http_methods(["GET", "POST", "OPTIONS"])
def service(request: HttpRequest) -> HttpResponse:
    """The endpoint: the manifest for a GET without queries, else the results of `queries`."""
    try:
        data = request.POST if request.method == "POST" else request.GET
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        raise Refusal(_("The queries are too long to read."), 413) from exc
    text = data.get("queries")
    if text is None:
        if "extend" in data:
            raise Refusal(_("This service does not offer data extension."), 400)
        if request.method == "POST":
            raise Refusal(_("Send the queries as the form field queries."), 400)
        return _json(request, manifest_module.manifest(request))
    user = _caller(request)
    try:
        batch = read_batch(text)
    except QueryError as exc:
        raise Refusal(exc.message, exc.status) from exc
    visible = organizations_for(user)
    return _json(
        request,
        {
            key: {"result": [_candidate(c) for c in reconcile(visible, q)]}
            for key, q in batch.items()
        },
    )


def _type(organization: Organization) -> dict[str, str]:
    return {"id": organization.kind, "name": organization.get_kind_display()}


def _description(organization: Organization) -> str:
    parts = [organization.get_kind_display()]
    if organization.country:
        parts.append(organization.get_country_display())
    if organization.city:
        parts.append(organization.city)
    if organization.short_code:
        parts.append(organization.short_code)
    return " · ".join(parts)


def _candidate(candidate) -> dict:
    organization = candidate.organization
    return {
        "id": str(organization.pk),
        "name": organization.name,
        "description": _description(organization),
        "score": candidate.score,
        "match": candidate.match,
        "type": [_type(organization)],
        "features": candidate.features,
    }


@cors
@require_http_methods(["GET", "OPTIONS"])
@xframe_options_exempt  # shown in an iframe by OpenRefine
# The site's policy, but any page may frame the preview (OpenRefine shows it in an iframe).
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["*"]})
def preview(request: HttpRequest, entity: str) -> HttpResponse:
    """An organization in a few lines, for the client's preview frame; 404 for an id the caller
    may not see (or none)."""
    user = _caller(request)
    if not entity.isdigit() or len(entity) > 12:
        raise Http404
    organization = organizations_for(user).filter(pk=int(entity)).first()
    if organization is None:
        raise Http404
    partnerships = (
        Partnership.objects.visible_to(user)
        .filter(participants__organization=organization)
        .distinct()
        .order_by("title", "pk")
    )
    return render(
        request,
        "api/reconcile_preview.html",
        {
            "organization": organization,
            "description": _description(organization),
            "partnership_count": partnerships.count(),
            "partnerships": partnerships[:PREVIEW_PARTNERSHIPS],
        },
    )


def _suggest_input(request: HttpRequest) -> tuple[str, int]:
    prefix = " ".join(request.GET.get("prefix", "").split())
    cursor_text = request.GET.get("cursor", "0") or "0"
    if len(prefix) > MAX_PREFIX:
        raise Refusal(_("The prefix is longer than %(max)s characters.") % {"max": MAX_PREFIX}, 400)
    if not cursor_text.isdigit() or int(cursor_text) > MAX_CURSOR:
        raise Refusal(
            _("The cursor must be a whole number from 0 to %(max)s.") % {"max": MAX_CURSOR}, 400
        )
    return prefix, int(cursor_text)


@cors
@require_http_methods(["GET", "OPTIONS"])
def suggest_entity(request: HttpRequest) -> HttpResponse:
    """Organizations whose name, local name or a word of it starts with `prefix`, or whose short
    code, Wikidata item or id it is; those starting with it first."""
    user = _caller(request)
    prefix, cursor = _suggest_input(request)
    if not prefix:
        return _json(request, {"result": []})
    starts = Q(name__istartswith=prefix) | Q(local_name__istartswith=prefix)
    found = (
        organizations_for(user)
        .filter(
            starts
            | Q(name__icontains=f" {prefix}")
            | Q(local_name__icontains=f" {prefix}")
            | Q(short_code__iexact=prefix)
            | Q(wikidata_id__iexact=prefix)
            | (Q(pk=int(prefix)) if prefix.isdigit() and len(prefix) < 12 else Q(pk__in=[]))
        )
        .annotate(
            first=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("first", "name", "pk")
    )[cursor : cursor + SUGGEST_SIZE]
    return _json(
        request,
        {
            "result": [
                {
                    "id": str(org.pk),
                    "name": org.name,
                    "description": _description(org),
                    "notable": [_type(org)],
                }
                for org in found
            ]
        },
    )


def _starting(items: list[dict], prefix: str, cursor: int) -> list[dict]:
    folded = prefix.casefold()
    chosen = [
        item
        for item in items
        if not folded
        or item["id"].casefold().startswith(folded)
        or any(word.startswith(folded) for word in item["name"].casefold().split())
        or item["name"].casefold().startswith(folded)
    ]
    return chosen[cursor : cursor + SUGGEST_SIZE]


@cors
@require_http_methods(["GET", "OPTIONS"])
def suggest_type(request: HttpRequest) -> HttpResponse:
    """The organization kinds whose id, name or a word of it starts with `prefix`."""
    _caller(request)
    prefix, cursor = _suggest_input(request)
    return _json(request, {"result": _starting(types(), prefix, cursor)})


@cors
@require_http_methods(["GET", "OPTIONS"])
def suggest_property(request: HttpRequest) -> HttpResponse:
    """The properties a query may give (identifiers first), by `prefix`."""
    _caller(request)
    prefix, cursor = _suggest_input(request)
    items = [
        {"id": prop.pid, "name": str(prop.name), "description": str(prop.description)}
        for prop in PROPERTIES
    ]
    return _json(request, {"result": _starting(items, prefix, cursor)})
