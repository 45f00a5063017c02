"""RFC 9457 problem details: every error the API answers is application/problem+json.

The `type` of each problem is a stable relative URI documented in docs/api.md.
"""

import json
import logging
import re
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
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


# What each problem type means, for the page at its `type` address (/api/v1/problems/<slug>).
MEANINGS = {
    "bad-request": gettext_noop("The body of the request is not valid JSON."),
    "unauthorized": gettext_noop(
        "The token is unknown or revoked, the Authorization header is not a Bearer token, or a "
        "write was sent without credentials. Send Authorization: Bearer with a personal token "
        "(created on /api/tokens/) or sign in."
    ),
    "forbidden": gettext_noop(
        "You may see the record but not change it, the token may only read, you edit for no "
        "organization, or the CSRF check of a signed-in session failed."
    ),
    "not-found": gettext_noop(
        "There is no such record or address, or the record exists but you may not see it."
    ),
    "method-not-allowed": gettext_noop(
        "The address does not take this method; the Allow header lists the ones it takes."
    ),
    "precondition-failed": gettext_noop(
        "If-Match does not match the record's current ETag: someone changed it since you read it. "
        "Read it again and send your change with the new ETag."
    ),
    "unsupported-media-type": gettext_noop(
        "The body was not sent as application/json. Send JSON with Content-Type: application/json."
    ),
    "validation": gettext_noop(
        "Some parameters or fields of the body are invalid; errors[].path names each one and "
        "errors[].message says what is wrong. Nothing was changed."
    ),
    "precondition-required": gettext_noop(
        "Changes need If-Match with the ETag you read (from the ETag header or the etag field), "
        "so no one's change is overwritten."
    ),
    "rate-limited": gettext_noop("Too many requests: wait the seconds Retry-After says."),
    "server-error": gettext_noop(
        "Something went wrong on the hub's side; it was logged. Try again later."
    ),
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
    "string_type": gettext_noop("Must be a string."),
    "int_type": gettext_noop("Must be a whole number."),
    "int_parsing": gettext_noop("Must be a whole number."),
    "greater_than_equal": gettext_noop("Must be at least %(ge)s."),
    "less_than_equal": gettext_noop("Must be at most %(le)s."),
    "bool_type": gettext_noop("Must be true or false."),
    "bool_parsing": gettext_noop("Must be true or false."),
    "list_type": gettext_noop("Must be a list."),
    "model_type": gettext_noop("Must be an object."),
    "model_attributes_type": gettext_noop("Must be an object."),
    "dict_type": gettext_noop("Must be an object."),
}
# Counted messages: (singular, plural, the context key holding the number).
COUNTED = {
    "string_too_long": (
        gettext_noop("Write at most %(count)s character."),
        gettext_noop("Write at most %(count)s characters."),
        "max_length",
    ),
    "string_too_short": (
        gettext_noop("Write at least %(count)s character."),
        gettext_noop("Write at least %(count)s characters."),
        "min_length",
    ),
    "too_long": (
        gettext_noop("Give at most %(count)s item."),
        gettext_noop("Give at most %(count)s items."),
        "max_length",
    ),
    "too_short": (
        gettext_noop("Give at least %(count)s item."),
        gettext_noop("Give at least %(count)s items."),
        "min_length",
    ),
}
# What a pattern of the schemas asks for, in words (the regular expression helps nobody).
PATTERNS = {
    r"^[A-Z]{3}$": gettext_noop("Write a three-letter currency code in capitals, such as EUR."),
    r"^[0-9]{1,14}(\.[0-9]{1,2})?$": gettext_noop(
        'Write the amount as a string of digits with a dot before the cents, such as "1234.50".'
    ),
    r"^[^\x00]*$": gettext_noop("Must not contain a NUL character."),
}
CHOICES = {"literal_error", "enum"}
# A field path is made of names and list indexes; pydantic adds the member of a union it tried
# (`literal['internal','external']`, `constrained-str`, `function-after[...]`), which is not a field.
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _choices(error: dict[str, Any]) -> list[str]:
    return QUOTED.findall(str((error.get("ctx") or {}).get("expected", "")))


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error") is not None:
        return _(str(ctx["error"]))  # our validators' messages, without "Value error, "
    if kind in COUNTED:
        singular, plural, key = COUNTED[kind]
        try:
            count = int(ctx[key])
        except (KeyError, TypeError, ValueError):
            pass
        else:
            return ngettext(singular, plural, count) % {"count": count}
    if kind == "string_pattern_mismatch":
        return _(
            PATTERNS.get(
                str(ctx.get("pattern", "")), gettext_noop("Does not have the expected form.")
            )
        )
    if kind in PYDANTIC_MESSAGES:
        try:
            return _(PYDANTIC_MESSAGES[kind]) % ctx
        except (KeyError, TypeError, ValueError):
            pass
    return str(error.get("msg", "")).removeprefix("Value error, ") or _("Invalid value.")


def pydantic_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """pydantic's errors as problem errors: one per field path (`participants[0].role`), with the
    hub's translated messages. The members of a union (`Direction | Literal[""]`) are tried in turn
    and each fails on its own; their errors become one, listing every value the field accepts."""
    messages: dict[str, list[str]] = {}
    choices: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc[:1] == ["header"] and len(loc) > 1:
            path = str(loc[1])  # "If-Match": a header is named as it is sent
        else:
            path = path_of([p for p in loc if isinstance(p, int) or FIELD_NAME.match(p)])
        messages.setdefault(path, [])
        if error.get("type") in CHOICES and _choices(error):
            choices.setdefault(path, []).extend(
                c for c in _choices(error) if c not in choices.get(path, [])
            )
            continue
        message = _message(error)
        if message not in messages[path]:
            messages[path].append(message)
    found = []
    for path, texts in messages.items():
        allowed = choices.get(path, [])
        if allowed == [""] and texts:
            texts = [*texts, _("Or leave it empty.")]
        elif allowed:
            listed = ", ".join(json.dumps(c, ensure_ascii=False) for c in allowed)
            texts = [_("Must be one of: %(values)s.") % {"values": listed}, *texts]
        found.append({"path": path, "message": " ".join(texts)})
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
