"""The NinjaAPI of the hub: /api/v1/. Errors are problem+json; docs work offline."""

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
        import json

        settings = {"layout": "BaseLayout", "deepLinking": True}
        settings["url"] = self.get_openapi_url(api, kwargs)
        return render(
            request,
            "api/swagger.html",
            {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": True},
        )


class HubAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return finish_openapi(super().get_openapi_schema(*args, **kwargs))


api = HubAPI(
    title="Partnership Hub API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[RateLimit()],
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
        _(
            "Someone else changed this record (it is now at version %(v)s). "
            "Read it again, then send your change with its new ETag."
        )
        % {"v": exc.current_version},
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s %s", request.method, request.path)
    return problems.problem(500, _("The error was logged; please try again later."))


# --- the OpenAPI document -------------------------------------------------------------------------

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSIONED = {"PartnershipOut", "ContributionOut", "GrantOut"}
ALWAYS = {
    401: "Authentication failed (unknown or revoked token).",
    422: "Invalid parameters or body; `errors` names each path.",
    429: "Too many requests; see Retry-After.",
}


def _problem_response(description: str) -> dict:
    return {"description": description, "content": {problems.CONTENT_TYPE: {"schema": PROBLEM_REF}}}


def finish_openapi(schema: Any) -> Any:
    """Errors as problem+json, the common error answers on every operation, optional auth on reads."""
    schema = deepcopy(dict(schema))
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = problems.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    defs = components["schemas"]["Problem"].pop("$defs", {})
    components["schemas"].update(defs)
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, response in list(responses.items()):
                if int(code) >= 400:
                    responses[code] = _problem_response(response.get("description", "Error"))
            for status, description in ALWAYS.items():
                responses.setdefault(str(status), _problem_response(description))
            for code in ("200", "201"):
                ref = (
                    responses.get(code, {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                    .get("$ref", "")
                )
                if ref.rsplit("/", 1)[-1] in VERSIONED:
                    responses[code]["headers"] = {
                        "ETag": {
                            "description": "The version you read; send it as If-Match to change it.",
                            "schema": {"type": "string"},
                        }
                    }
            if method == "get" and operation.get("security"):
                operation["security"].append({})
    return schema


from hub.api.endpoints import directory, funding, partnerships  # noqa: E402

api.add_router("", directory.router)
api.add_router("", partnerships.router)
api.add_router("", funding.router)
