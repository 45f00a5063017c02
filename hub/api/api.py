"""The NinjaAPI of the hub: /api/v1/. Errors are problem+json; docs work offline."""

import json
import logging
from copy import deepcopy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.parser import Parser

from hub.api import problems
from hub.api.auth import RateLimit
from hub.core.exceptions import StaleVersionError

logger = logging.getLogger("hub.api")

DESCRIPTION = """The Partnership Hub's registry: organizations, alliances, contact people,
partnerships with their participants and the 2016 dimensions, in-kind contributions and grants.

Anonymous callers read public records. A personal token (`Authorization: Bearer phub_...`, created on
/api/tokens/) or a signed-in session reads what its user may see; writes need a read-write token or
a session with the CSRF token. Errors are `application/problem+json` (see docs/api.md)."""


class OfflineSwagger(DocsBase):
    """Swagger UI from the files django-ninja ships, served by the hub: no CDN, no outside requests."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        settings = {"layout": "BaseLayout", "deepLinking": True}
        settings["url"] = self.get_openapi_url(api, kwargs)
        return render(
            request,
            "api/swagger.html",
            {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": True},
        )


class NotJSON(Exception):
    """The body of a write was sent with a Content-Type other than JSON."""


class JSONParser(Parser):
    """Bodies are JSON only: form-encoded and other bodies are refused with 415 (see _http_error).
    ninja reads the body after auth, so refusals by permission come first."""

    def parse_body(self, request: HttpRequest) -> Any:
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise NotJSON
        return json.loads(request.body)


class HubAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return finish_openapi(super().get_openapi_schema(*args, **kwargs))

    def get_openapi_operation_id(self, operation: Any) -> str:
        """The view function's name (`partnership_update`): what generated clients call the method.
        `finish_openapi` checks that they are unique."""
        return str(operation.view_func.__name__)


api = HubAPI(
    title="Partnership Hub API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[RateLimit()],
    parser=JSONParser(),
)


# --- errors ---------------------------------------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problems.problem(
        422,
        _("Some fields are invalid; see errors."),
        errors=problems.pydantic_errors(exc.errors),
    )


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problems.problem(
        422, _("Some fields are invalid; see errors."), errors=problems.django_errors(exc)
    )


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, int(getattr(exc, "wait", 1) or 1))
    return problems.problem(
        429,
        _("Too many requests; try again in %(n)s seconds.") % {"n": wait},
        headers={"Retry-After": str(wait)},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = str(exc) if str(exc) != "Unauthorized" else ""
    return problems.problem(
        401,
        detail or _("Send a personal token (Authorization: Bearer ...) or sign in."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja answers an unreadable body with 400 "Cannot parse request body (<parser internals>)".
    if isinstance(exc.__cause__, NotJSON):
        return problems.problem(415, _("Send the body as application/json."))
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return problems.problem(400, _("The body is not valid JSON."))
    return problems.problem(exc.status_code, str(exc))


@api.exception_handler(problems.ApiError)
def _api_error(request: HttpRequest, exc: problems.ApiError) -> HttpResponse:
    return problems.problem(exc.status_code, exc.detail, errors=exc.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.problem(404, _("There is no such record, or you may not see it."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problems.problem(403, str(exc) or _("You may not do this."))


@api.exception_handler(StaleVersionError)
def _stale(request: HttpRequest, exc: StaleVersionError) -> HttpResponse:
    return problems.problem(
        412,
        # Not the current version: with it a client could overwrite without reading the change.
        _(
            "Someone else changed this record since you read it. "
            "Read it again, then send your change with its new ETag."
        ),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s %s", request.method, request.path)
    return problems.problem(500, _("The error was logged; please try again later."))


# --- the OpenAPI document -------------------------------------------------------------------------

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSIONED = {
    "PartnershipOut",
    "ContributionOut",
    "GrantOut",
    "ProgressOut",
    "AgreementOut",
    "DocumentOut",
    "LessonOut",
    "ResourceOut",
}
ALWAYS = {
    401: "Authentication failed: a write without credentials, an unknown or revoked token, or an Authorization header that is not a Bearer token.",
    422: "Invalid parameters or body; `errors` names each path.",
    429: "Too many requests; see Retry-After.",
}


def _problem_response(description: str) -> dict:
    return {"description": description, "content": {problems.CONTENT_TYPE: {"schema": PROBLEM_REF}}}


HEADERS = {
    "201": {
        "Location": {
            "description": "The address of the record just created.",
            "schema": {"type": "string", "format": "uri"},
        }
    },
    "401": {
        "WWW-Authenticate": {
            "description": 'How to authenticate: `Bearer realm="api"`.',
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
ETAG_HEADER = {
    "ETag": {
        "description": "The version you read; send it as If-Match to change it.",
        "schema": {"type": "string"},
    }
}
NOT_JSON = "The body is not application/json."


def finish_openapi(schema: Any) -> Any:
    """Errors as problem+json, the common error answers and the headers we send on every
    operation, optional auth on reads, parameters without null, only schemas something uses."""
    schema = deepcopy(dict(schema))
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = problems.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    defs = components["schemas"]["Problem"].pop("$defs", {})
    components["schemas"].update(defs)
    operation_ids: set[str] = set()
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if operation["operationId"] in operation_ids:
                raise RuntimeError(f"Two operations are called {operation['operationId']}.")
            operation_ids.add(operation["operationId"])
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, response in list(responses.items()):
                if int(code) >= 400:
                    responses[code] = _problem_response(response.get("description", "Error"))
            for status, description in ALWAYS.items():
                responses.setdefault(str(status), _problem_response(description))
            if "requestBody" in operation:
                responses.setdefault("415", _problem_response(NOT_JSON))
            for code in ("200", "201"):
                ref = (
                    responses.get(code, {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                    .get("$ref", "")
                )
                if ref.rsplit("/", 1)[-1] in VERSIONED:
                    responses[code]["headers"] = deepcopy(ETAG_HEADER)
            for code, headers in HEADERS.items():
                if code in responses:
                    responses[code].setdefault("headers", {}).update(deepcopy(headers))
            operation["responses"] = dict(sorted(responses.items()))
            for parameter in operation.get("parameters", []):
                _without_null(parameter)
                if parameter["in"] == "header" and parameter["name"] == "If-Match":
                    # Without it the answer is 428: required, whatever the Python default says.
                    parameter["required"] = True
            if method == "get" and operation.get("security"):
                operation["security"].append({})
    _drop_unused_schemas(schema)
    return schema


def _without_null(parameter: dict) -> None:
    """A query or header parameter is a string or absent, never null: drop the null branch of
    `str | None` (keeping description, default, maxLength...)."""
    param_schema = parameter.get("schema", {})
    branches = [b for b in param_schema.get("anyOf", []) if b.get("type") != "null"]
    if "anyOf" in param_schema and len(branches) == 1:
        del param_schema["anyOf"]
        param_schema.update(branches[0])
    if param_schema.get("default", 0) is None:
        del param_schema["default"]


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            else:
                found |= _references(value)
        return found
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node)) if node else set()
    return set()


def _drop_unused_schemas(schema: dict) -> None:
    """Keep the component schemas the operations use, directly or through other schemas (ninja
    also lists the query models, which the document shows as parameters)."""
    schemas = schema.get("components", {}).get("schemas", {})
    used = _references(schema.get("paths", {}))
    todo = list(used)
    while todo:
        for name in _references(schemas.get(todo.pop(), {})) - used:
            used.add(name)
            todo.append(name)
    for name in set(schemas) - used:
        del schemas[name]


from hub.api.endpoints import (  # noqa: E402
    agreements,
    alliances_collective,
    contributions,
    directory,
    documents,
    grants,
    knowledge,
    lifecycle_steps,
    meetings,
    network,
    outcomes,
    partnerships,
    privacy,
    rates,
    resources,
    search,
    wiki,
)

api.add_router("", directory.router)
api.add_router("", partnerships.router)
# In this order: the OpenAPI document lists the operations as the routers are added.
api.add_router("", contributions.router)
api.add_router("", rates.router)
api.add_router("", grants.router)
api.add_router("", lifecycle_steps.router)
api.add_router("", agreements.router)
api.add_router("", privacy.router)
api.add_router("", documents.router)
api.add_router("", knowledge.router)
api.add_router("", resources.router)
api.add_router("", meetings.router)
api.add_router("", alliances_collective.router)
api.add_router("", network.router)
api.add_router("", outcomes.router)
api.add_router("", search.router)
api.add_router("", wiki.router)
