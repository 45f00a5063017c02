"""The cells of an import row: typed values from what people type, and the directory indexes
that match donors and partnerships without a query per row (used by imports/reading.py)."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from hub.core.streaming import pk_pages
from hub.core.tabular import (
    Problem,
    ValueProblem,
    fold,
    looks_like_formula,
    name_key,
    parse_date,
    parse_number,
    shorten,
)
from hub.directory.models import Organization
from hub.funding.choices import Category, Unit, ValuationMethod
from hub.funding.currencies import AMOUNT_AFFIXES, currency_in, is_currency
from hub.imports.columns import (
    CATEGORY_WORDS,
    FALSE_WORDS,
    METHOD_WORDS,
    TRUE_WORDS,
    UNIT_WORDS,
)
from hub.partnerships.models import Partnership

TOO_LARGE = Decimal("1e13")
FOUND_MEMO = 20000  # donor spellings remembered by Directory.find
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")


@dataclass
class ImportOptions:
    default_currency: str = "EUR"
    day_first: bool = True
    decimal_comma: bool | None = None


# ------------------------------------------------------------------------------------ matching


class Directory:
    """Every organization's name, local name, short code and Wikidata item, from one query.

    A name written exactly as in the directory matches at once; other spellings go through the
    folded index. Matched donors come back as instances built from that same query (deferring
    the other fields, as `.only()` does), so a file of 100,000 rows costs no query per donor.
    """

    LOADED = ("id", "name", "short_code", "kind")

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}
        self.by_code: dict[str, int] = {}
        self.by_item: dict[str, int] = {}
        self._loaded: dict[int, tuple[str, str | None, str, str]] = {}
        self._by_key: dict[str, int] | None = None
        rows = Organization.objects.values_list(
            "pk", "name", "local_name", "short_code", "wikidata_id", "kind"
        )
        # In pages: a list of every row at once would add ~20 MB to the peak at 100,000 names.
        for pk, name, local_name, code, item, kind in pk_pages(rows, 2000, key=itemgetter(0)):
            self._loaded[pk] = (name, code, kind, local_name)
            for text in (name, local_name):
                if text:
                    self.by_name.setdefault(text, pk)
            if code:
                self.by_code.setdefault(code.upper(), pk)
            if item:
                self.by_item.setdefault(item.upper(), pk)
        self._instances: dict[int, Organization] = {}
        self._found: dict[tuple[str, str | None], int | None] = {}

    @property
    def by_key(self) -> dict[str, int]:
        """Names with case, accents, spacing and punctuation ignored; built on the first name
        that is not written exactly as in the directory (folding 100,000 names takes seconds)."""
        if self._by_key is None:
            by_key: dict[str, int] = {}
            # in the order the rows were read: the lowest id wins, its name before its local name
            for pk, (name, _code, _kind, local_name) in self._loaded.items():
                for text in (name, local_name):
                    if text:
                        by_key.setdefault(name_key(text), pk)
            self._by_key = by_key
        return self._by_key

    def find(self, text: str, code: str | None = None) -> int | None:
        # A file names the same donors again and again: each spelling is looked up once.
        key = (text, code)
        if key in self._found:
            return self._found[key]
        pk = self._find(text, code)
        if len(self._found) < FOUND_MEMO:
            self._found[key] = pk
        return pk

    def _find(self, text: str, code: str | None) -> int | None:
        for candidate in (code, text):
            if not candidate:
                continue
            upper = candidate.strip().upper()
            if _WIKIDATA.match(upper) and upper in self.by_item:
                return self.by_item[upper]
            if _CODE.match(candidate.strip()) and upper in self.by_code:
                return self.by_code[upper]
        if not text:
            return None
        exact = self.by_name.get(text) or self.by_name.get(text.strip())
        return exact if exact is not None else self.by_key.get(name_key(text))

    def instance(self, pk: int) -> Organization:
        if pk not in self._instances:
            loaded = self._loaded.get(pk)
            if loaded is None:  # created after the index was built
                self._instances[pk] = Organization.objects.get(pk=pk)
            else:
                self._instances[pk] = Organization.from_db(
                    Organization.objects.db, list(self.LOADED), [pk, *loaded[:3]]
                )
        return self._instances[pk]


class Partnerships:
    """Partnerships the actor may see, by title (the organization's own first), from one query.

    Built on the first lookup: most files have no partnership column, and indexing every
    visible partnership's title is the slowest part of starting an import.
    """

    def __init__(self, actor, organization: Organization) -> None:
        self.actor = actor
        self.organization = organization
        self._by_key: dict[str, Partnership] | None = None
        self._by_pk: dict[int, Partnership] | None = None

    @property
    def by_key(self) -> dict[str, Partnership]:
        if self._by_key is None:
            by_key: dict[str, Partnership] = {}
            own = set(
                Partnership.objects.with_organization([self.organization.pk]).values_list(
                    "pk", flat=True
                )
            )
            visible = Partnership.objects.visible_to(self.actor).only("pk", "title", "version")
            for partnership in visible:
                key = name_key(partnership.title)
                if key not in by_key or partnership.pk in own:
                    by_key[key] = partnership
            self._by_key = by_key
        return self._by_key

    def find(self, title: str) -> Partnership | None:
        return self.by_key.get(name_key(title))

    def find_for_row(
        self, title: str, *, number: int, column: str, problems: list
    ) -> Partnership | None:
        """The partnership a row names by title, or None after naming the row's problem."""
        partnership = self.find(title)
        if partnership is None:
            problems.append(
                Problem(
                    _("is not the title of a partnership you can see."),
                    row=number,
                    column=column,
                    value=shorten(title),
                )
            )
        return partnership

    def by_pk(self, pk: int) -> Partnership:
        """A partnership `find` gave (its id staged with a row)."""
        if self._by_pk is None:
            self._by_pk = {p.pk: p for p in self.by_key.values()}
        return self._by_pk.get(pk) or Partnership.objects.get(pk=pk)


# ------------------------------------------------------------------------------------ cells


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    # an export of the hub put an apostrophe before text a spreadsheet would run as a formula
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _choice(words: Mapping[str, str], value: Any, choices) -> str:
    code = words.get(_folded(_text(value)))
    if code is None:
        labels = ", ".join(str(label) for label in choices.labels)
        raise ValueProblem(_("is not one of: %(labels)s.") % {"labels": labels})
    return code


def convert(kind: str, value: Any, options: ImportOptions) -> Any:
    """A cell as the typed value of a target kind; ValueProblem says what is wrong with it."""
    if kind == "number":
        if isinstance(value, str):
            value = _text(value)
        number = parse_number(value, decimal_comma=options.decimal_comma, affixes=AMOUNT_AFFIXES)
        if abs(number) >= TOO_LARGE:
            raise ValueProblem(_("is too large."))
        return number
    if kind == "date":
        return parse_date(value, day_first=options.day_first)
    if kind == "category":
        return _choice(CATEGORY_WORDS, value, Category)
    if kind == "unit":
        return _choice(UNIT_WORDS, value, Unit)
    if kind == "method":
        return _choice(METHOD_WORDS, value, ValuationMethod)
    if kind == "bool":
        word = _folded(_text(value))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueProblem(_("is not yes or no."))
    if kind == "currency":
        text = _text(value)
        code = currency_in(text) if len(text) != 3 else text.upper()
        if not code or not is_currency(code):
            raise ValueProblem(_("is not an ISO 4217 currency code such as EUR."))
        return code
    text = _text(value)
    if kind == "name":
        if looks_like_formula(text):
            raise ValueProblem(_("looks like a spreadsheet formula, not a name."))
        if len(text) > 200:
            raise ValueProblem(_("is longer than 200 characters."))
    # A "url" is checked by the model's field (hub.core.weburl), as on every other way in.
    elif kind == "key" and len(text) > 80:
        raise ValueProblem(_("is longer than 80 characters."))
    return text


_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def canonical(value: Any) -> str:
    """One spelling per value: 2, 2.0 and "2" agree; a date and a datetime at midnight agree."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        if _PLAIN_NUMBER.match(value):
            whole, _point, fraction = value.partition(".")
            sign = "-" if whole.startswith("-") else ""
            whole = whole.lstrip("-").lstrip("0") or "0"
            fraction = fraction.rstrip("0")
            return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"
        return " ".join(value.split()).casefold()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return canonical(format(Decimal(str(value)), "f"))
    return " ".join(str(value).split()).casefold()
