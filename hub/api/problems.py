"""RFC 9457 problem details: every error the API answers is application/problem+json.

The `type` of each problem is a stable relative URI documented in docs/api.md.
"""

import json
import logging
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema

logger = logging.getLogger(__name__)

PROBLEM_BASE = "/api/v1/problems/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: ("bad-request", gettext_noop("The request could not be read.")),
    401: ("unauthorized", gettext_noop("Authentication failed.")),
    403: ("forbidden", gettext_noop("You may not do this.")),
    404: ("not-found", gettext_noop("Not found.")),
    405: ("method-not-allowed", gettext_noop("Method not allowed.")),
    412: ("precondition-failed", gettext_noop("The record changed since you read it.")),
    415: ("unsupported-media-type", gettext_noop("The body is not JSON.")),
    422: ("validation", gettext_noop("The request has invalid fields.")),
    428: ("precondition-required", gettext_noop("Send If-Match with the ETag you read.")),
    429: ("rate-limited", gettext_noop("Too many requests.")),
    500: ("server-error", gettext_noop("Something went wrong on our side.")),
}


class FieldError(Schema):
    path: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


def problem(
    status: int,
    detail: str = "",
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    slug, title = TITLES.get(status, ("error", gettext_noop("Error.")))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": _(title),
        "status": status,
        "detail": detail or _(title),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def path_of(loc: tuple | list, *, skip_source: bool = True) -> str:
    """("body", "payload", "participants", 0, "organization") -> "participants[0].organization"."""
    parts = list(loc)
    if skip_source and parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


PYDANTIC_MESSAGES = {
    "extra_forbidden": gettext_noop("This field cannot be set through the API."),
    "missing": gettext_noop("This field is required."),
}


def pydantic_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    found = []
    for error in errors:
        path = path_of(error.get("loc", ()))
        message = PYDANTIC_MESSAGES.get(
            error.get("type", ""), error.get("msg", gettext_noop("Invalid value."))
        )
        found.append({"path": path, "message": _(message)})
    return found


def django_errors(exc) -> list[dict[str, str]]:
    """A Django ValidationError as problem errors; keys of its dict are the field paths."""
    if hasattr(exc, "error_dict"):
        return [
            {"path": "body" if name == "__all__" else name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"path": "body", "message": message} for message in exc.messages]


class ApiError(Exception):
    """An error answer raised from an endpoint: status, detail and optionally field errors."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status_code = status
        self.detail = detail
        self.errors = errors


def invalid(path: str, message: str) -> ApiError:
    return ApiError(
        422, _("Some fields are invalid; see errors."), [{"path": path, "message": message}]
    )
