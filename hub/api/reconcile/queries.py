"""Reading a reconciliation query batch: its JSON, its shape (the specification's query-batch
schema, checked by hand so the message can name the query and the field), and what the service
makes of it (known types and properties, caps on the batch, the limit and the text).

`read_batch(text)` gives the queries by their keys or raises `QueryError`, whose message names
the query and the field and whose `status` is 400, or 413 for a batch over `MAX_BATCH`.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hub.api.reconcile.vocabulary import (
    COUNTRY,
    IDENTIFIER_BY_PID,
    PROPERTY_BY_PID,
    country_key,
    type_key,
)

MAX_BATCH = 50  # OpenRefine sends 10 at a time
MAX_LIMIT = 25
DEFAULT_LIMIT = 5
MAX_QUERY_LENGTH = 500
MAX_PROPERTIES = 20
MAX_VALUES = 20
MAX_BATCH_TEXT = 1_000_000  # characters of JSON
TYPE_STRICT = ("any", "should", "all")
QUERY_KEYS = frozenset(["query", "type", "limit", "properties", "type_strict"])


class QueryError(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Query:
    """One query as the service reads it: the text, the kinds it is restricted to, the number
    of candidates asked for, and the values given per property, each normalized to its key
    (identifiers by their `key`, countries as ISO codes, types as kinds)."""

    text: str = ""
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | bool) or _number(value)


def check_shape(batch: Any) -> dict[str, dict]:
    """The batch if it has the shape of the specification's query-batch schema (any type and
    property names), else QueryError naming the query and the field."""
    if not isinstance(batch, dict):
        raise QueryError(
            _('The queries must be a JSON object of queries by key, like {"q0": {...}}.')
        )
    for key, query in batch.items():
        if not isinstance(query, dict):
            raise QueryError(_("Query %(key)s must be an object.") % {"key": key})
        unknown = sorted(set(query) - QUERY_KEYS)
        if unknown:
            raise QueryError(
                _("Query %(key)s has an unknown field %(field)s; the fields are %(fields)s.")
                % {"key": key, "field": unknown[0], "fields": ", ".join(sorted(QUERY_KEYS))}
            )
        if "query" in query and not isinstance(query["query"], str):
            raise QueryError(_("In query %(key)s, query must be a string.") % {"key": key})
        kind = query.get("type")
        if kind is not None and not (
            isinstance(kind, str)
            or (isinstance(kind, list) and all(isinstance(item, str) for item in kind))
        ):
            raise QueryError(
                _("In query %(key)s, type must be a string or a list of strings.") % {"key": key}
            )
        if "limit" in query and not _number(query["limit"]):
            raise QueryError(_("In query %(key)s, limit must be a number.") % {"key": key})
        strict = query.get("type_strict")
        if strict is not None and strict not in TYPE_STRICT:
            raise QueryError(
                _("In query %(key)s, type_strict must be one of any, should, all.") % {"key": key}
            )
        properties = query.get("properties")
        if properties is not None:
            _check_properties(key, properties)
        if "query" not in query and not properties:
            raise QueryError(
                _("Query %(key)s needs a query text or at least one property.") % {"key": key}
            )
    return batch


def _value_ok(value: Any) -> bool:
    return _scalar(value) or (isinstance(value, dict) and isinstance(value.get("id"), str))


def _check_properties(key: str, properties: Any) -> None:
    if not isinstance(properties, list):
        raise QueryError(_("In query %(key)s, properties must be a list.") % {"key": key})
    for number, item in enumerate(properties, start=1):
        where = {"key": key, "number": number}
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise QueryError(
                _("In query %(key)s, property %(number)s needs a pid and a value v.") % where
            )
        if not isinstance(item["pid"], str):
            raise QueryError(
                _("In query %(key)s, property %(number)s: pid must be a string.") % where
            )
        value = item["v"]
        if not (_value_ok(value) or (isinstance(value, list) and all(map(_value_ok, value)))):
            raise QueryError(
                _(
                    "In query %(key)s, property %(number)s: v must be a string, number, boolean, "
                    "an object with an id, or a list of those."
                )
                % where
            )


def _texts(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    texts = []
    for item in values:
        if isinstance(item, dict):
            item = item["id"]
        if isinstance(item, bool):
            continue  # no property of organizations is true or false
        if _number(item) and float(item).is_integer():
            item = int(item)
        texts.append(str(item))
    return texts


def _read_values(key: str, properties: list[dict]) -> dict[str, tuple[str, ...]]:
    if len(properties) > MAX_PROPERTIES:
        raise QueryError(
            _("Query %(key)s has more than %(max)s properties.")
            % {"key": key, "max": MAX_PROPERTIES}
        )
    values: dict[str, list[str]] = {}
    for item in properties:
        pid = item["pid"]
        if pid not in PROPERTY_BY_PID:
            raise QueryError(
                _("In query %(key)s, the property %(pid)s is unknown; the properties are %(pids)s.")
                % {"key": key, "pid": pid, "pids": ", ".join(PROPERTY_BY_PID)}
            )
        texts = _texts(item["v"])
        if len(texts) > MAX_VALUES:
            raise QueryError(
                _("In query %(key)s, the property %(pid)s has more than %(max)s values.")
                % {"key": key, "pid": pid, "max": MAX_VALUES}
            )
        for text in texts:
            if pid in IDENTIFIER_BY_PID:
                normalized = IDENTIFIER_BY_PID[pid].key(text)
            elif pid == COUNTRY.pid:
                normalized = country_key(text)
            else:
                normalized = type_key(text)
            # A value that names nothing (an empty cell, "n/a" as a country) matches nothing,
            # and fails nothing either: a spreadsheet's blanks must not refuse the batch.
            if normalized:
                values.setdefault(pid, []).append(normalized)
    return {pid: tuple(dict.fromkeys(found)) for pid, found in values.items()}


def read_query(key: str, raw: dict) -> Query:
    """One query of a checked batch as the service reads it (QueryError for what it cannot use)."""
    text = " ".join(raw.get("query", "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("Query %(key)s is longer than %(max)s characters.")
            % {"key": key, "max": MAX_QUERY_LENGTH}
        )
    limit = raw.get("limit", DEFAULT_LIMIT)
    if not float(limit).is_integer() or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(
            _("In query %(key)s, limit must be a whole number from 1 to %(max)s.")
            % {"key": key, "max": MAX_LIMIT}
        )
    given = raw.get("type") or []
    kinds = []
    for name in [given] if isinstance(given, str) else given:
        kind = type_key(name)
        if not kind:
            raise QueryError(
                _("In query %(key)s, the type %(type)s is unknown; ask the type suggest service.")
                % {"key": key, "type": name}
            )
        kinds.append(kind)
    values = _read_values(key, raw.get("properties") or [])
    if not text and not any(pid in IDENTIFIER_BY_PID for pid in values):
        raise QueryError(
            _("Query %(key)s needs a query text or an identifier (%(pids)s).")
            % {"key": key, "pids": ", ".join(IDENTIFIER_BY_PID)}
        )
    return Query(text=text, types=tuple(kinds), limit=int(limit), values=values)


def read_batch(text: str) -> dict[str, Query]:
    """The queries of a batch sent as JSON text, by their keys (see the module's docstring)."""
    if len(text) > MAX_BATCH_TEXT:
        raise QueryError(_("The queries are too long to read."), status=413)
    try:
        batch = json.loads(text)
    except ValueError as exc:
        raise QueryError(_("The queries are not valid JSON: %(error)s.") % {"error": exc}) from exc
    check_shape(batch)
    if len(batch) > MAX_BATCH:
        raise QueryError(
            _("Send at most %(max)s queries at a time; this batch has %(count)s.")
            % {"max": MAX_BATCH, "count": len(batch)},
            status=413,
        )
    return {key: read_query(key, raw) for key, raw in batch.items()}
