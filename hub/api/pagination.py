"""Keyset (cursor) pagination: no COUNT, no OFFSET; the cursor encodes the last sort key and id.

A cursor is opaque to clients: base64url of JSON [sort, value, id]. Each ordering names the field it
sorts by, its direction and whether empty values come last, and always breaks ties by id.
"""

import base64
import binascii
import datetime
import decimal
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Ordering:
    name: str
    field: str
    descending: bool = False
    nullable: bool = False
    kind: str = "str"  # str, date, datetime, decimal

    def order_by(self) -> list:
        if self.nullable:
            expr = F(self.field)
            key = expr.desc(nulls_last=True) if self.descending else expr.asc(nulls_last=True)
        else:
            key = F(self.field).desc() if self.descending else F(self.field).asc()
        return [key, "-pk" if self.descending else "pk"]

    def encode(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        return value

    def decode(self, value: Any) -> Any:
        if value is None:
            return None
        if self.kind == "date":
            return datetime.date.fromisoformat(value)
        if self.kind == "datetime":
            moment = datetime.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("a cursor's time carries its offset")
            moment.astimezone(datetime.UTC)  # OverflowError past the years 1 to 9999 in UTC
            return moment
        if self.kind == "decimal":
            number = decimal.Decimal(value)
            if not number.is_finite():
                raise ValueError("not a number")
            return number
        if not isinstance(value, str):
            raise ValueError("bad value")
        return value

    def after(self, value: Any, pk: int) -> Q:
        """Rows that come after (value, pk) in this ordering, except the empty values that come
        last after a non-empty `value` (`paginate` reads those apart: see `empty_after`)."""
        past, tie = ("lt", "lt") if self.descending else ("gt", "gt")
        if value is None:
            # Only reachable for nullable orderings, where empty values come last.
            return Q(**{f"{self.field}__isnull": True, f"pk__{tie}": pk})
        cond = Q(**{f"{self.field}__{past}": value}) | Q(**{self.field: value, f"pk__{tie}": pk})
        # The same rows, said so that the database can start its index scan at the cursor (an OR
        # alone makes it read the index from the top and filter).
        cond &= Q(**{f"{self.field}__{past}e": value})
        return cond

    def empty_after(self, value: Any) -> bool:
        """Whether the rows with no value (last) also come after a cursor at `value`."""
        return self.nullable and value is not None


class BadCursor(ValueError):
    pass


def encode_cursor(ordering: Ordering, value: Any, pk: int) -> str:
    raw = json.dumps([ordering.name, ordering.encode(value), pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != ordering.name or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError("cursor of another ordering")
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("NUL in cursor")
        if not -(2**62) < pk < 2**62:
            raise ValueError("id out of range")
        return ordering.decode(value), pk
    except (
        ValueError,
        TypeError,
        OverflowError,
        binascii.Error,
        UnicodeDecodeError,
        decimal.InvalidOperation,
    ) as exc:
        raise BadCursor from exc


def paginate(
    request: HttpRequest,
    qs: QuerySet,
    ordering: Ordering,
    *,
    limit: int,
    cursor: str | None,
    notices: list[str] | None = None,
) -> tuple[list, str | None]:
    """One page of `qs` in `ordering`, and the URL of the next page (None on the last page).

    `qs` may yield model instances or `.values()` dicts (which must hold "id" and the sort field).

    A cursor that cannot be read starts from the first page with a notice, as the pages do with
    a page number they cannot use.
    """
    qs = qs.order_by(*ordering.order_by())
    empty_rows = None
    if cursor:
        try:
            value, pk = decode_cursor(ordering, cursor)
        except BadCursor:
            if notices is not None:
                notices.append(_("Ignored the cursor: it is not valid; this is the first page."))
        else:
            if ordering.empty_after(value):
                empty_rows = qs.filter(**{f"{ordering.field}__isnull": True})
            # Said without an OR on empty values, so the database scans its index from the cursor.
            qs = qs.filter(ordering.after(value, pk))
    rows = list(qs[: limit + 1])
    if empty_rows is not None and len(rows) <= limit:
        # The page reaches the records with no value: one more query, at that page only.
        rows += list(empty_rows[: limit + 1 - len(rows)])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    if isinstance(last, dict):  # rows read with .values(), which name the key "id"
        value, pk = last[ordering.field], last["id"]
    else:
        value, pk = getattr(last, ordering.field), last.pk
    params = request.GET.copy()
    params["cursor"] = encode_cursor(ordering, value, pk)
    params["limit"] = str(limit)
    return rows, request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
