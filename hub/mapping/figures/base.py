"""What every figure is made of: a set of filters read from the query string, and a `Figure` of rows.

A `Figure` is what the page table, the chart (hub/mapping/specs.py) and the CSV download are all made
from, so they cannot disagree. The figures themselves are in `workshop.py` (the mapping page) and
`movement.py` (the dashboard).
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.core import charts
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.models import Partnership

FILTER_NAMES = tuple(name for name in PartnershipFilter.base_fields if name != "sort")


@dataclass
class FilterSet:
    """One set of registry filters read from a query string (the second set has prefix "b").

    The form is built on first use: a page served from the cache needs only `params`.
    """

    data: QueryDict
    params: list[tuple[str, str]]
    prefix: str = ""

    @classmethod
    def read(cls, query: QueryDict, prefix: str = "") -> "FilterSet":
        start = f"{prefix}-" if prefix else ""
        params = [
            (name, value)
            for name in FILTER_NAMES
            for value in query.getlist(start + name)
            if value != ""
        ]
        return cls(query, params, prefix)

    @cached_property
    def filters(self) -> PartnershipFilter:
        return PartnershipFilter(self.data, prefix=self.prefix or None)

    def without(self, names: Iterable[str]) -> PartnershipFilter:
        """The filters with those of a figure's own dimension removed."""
        names = set(names)
        clone = copy.copy(self.filters)
        clone.values = {k: v for k, v in self.filters.values.items() if k not in names}
        return clone

    def queryset(self, user, drop: Iterable[str] = ()) -> QuerySet[Partnership]:
        return self.without(drop).apply(Partnership.objects.visible_to(user)).order_by()

    def query(self, drop: Iterable[str] = (), **extra: Any) -> str:
        """This set's query string without `drop` and with `extra` (lists give repeated keys)."""
        drop = set(drop) | set(extra)
        pairs = [(k, v) for k, v in self.params if k not in drop]
        for key, value in extra.items():
            for item in value if isinstance(value, list | tuple) else [value]:
                pairs.append((key, str(item)))
        return urlencode(pairs)

    def list_url(self, drop: Iterable[str] = (), **extra: Any) -> str:
        query = self.query(drop, **extra)
        return reverse("partnerships:list") + (f"?{query}" if query else "")

    def describe(self) -> str:
        """The active filters in words, e.g. "Country: Austria; Status: Active"."""
        parts = []
        for name, value in self.filters.values.items():
            if name == "sort" or (name == "goal_match" and "goal" not in self.filters.values):
                continue
            field_ = self.filters.fields[name]
            if isinstance(value, list):
                choices = dict(getattr(field_, "choices", []))
                shown = ", ".join(str(choices.get(v, v)) for v in value)
            elif isinstance(value, bool):
                shown = _("yes")
            elif hasattr(field_, "choices") and not hasattr(value, "pk"):
                shown = str(dict(field_.choices).get(value, value))
            else:
                shown = str(value)
            parts.append(f"{field_.label}: {shown}")
        return "; ".join(parts) if parts else _("All partnerships you may see")

    @property
    def running_statuses(self) -> list[str]:
        """Running statuses, narrowed by the status filter if one is set."""
        chosen = self.filters.values.get("status")
        return [s for s in Partnership.RUNNING_STATUSES if not chosen or s in chosen]


@dataclass
class Row:
    key: str
    label: str
    values: list[int]
    links: list[str | None]
    share: float | None = None

    @property
    def cells(self) -> list[tuple[int, str | None]]:
        return list(zip(self.values, self.links, strict=True))


@dataclass
class Mark:
    title: str
    url: str
    structure: str
    direction: str


@dataclass
class Figure:
    """One chart's numbers: rows of counts with their links; the page, chart and CSV read these."""

    name: str
    title: str
    caption: str
    label_header: str
    columns: list[str]
    rows: list[Row]
    total: int
    total_link: str | None
    shares: bool = False
    marks: list[Mark] | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        """The numbers as one sentence, for the SVG's description and screen readers."""
        parts = []
        for row in self.rows:
            numbers = ", ".join(
                f"{column} {value}" if len(self.columns) > 1 else str(value)
                for column, value in zip(self.columns, row.values, strict=True)
            )
            if row.share is not None:
                numbers += f" ({share_text(row.share)}%)"
            parts.append(f"{row.label}: {numbers}")
        head = ngettext("%(n)d partnership", "%(n)d partnerships", self.total) % {"n": self.total}
        return head + ". " + "; ".join(parts) + ("." if parts else "")

    def csv_header(self) -> list[str]:
        return [
            "key",
            self.label_header,
            *self.columns,
            *([_("Share (%)")] if self.shares else []),
        ]

    def csv_rows(self) -> list[list[Any]]:
        return [
            [row.key, row.label, *row.values, *([row.share] if self.shares else [])]
            for row in self.rows
        ]

    def csv(self) -> str:
        return charts.rows_to_csv(self.csv_header(), self.csv_rows())


def share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def share_text(value: float) -> str:
    """A share as the active language writes it: 12.5 in English, 12,5 in German; 12 for 12.0."""
    return number_format(value, decimal_pos=None if value % 1 else 0)


def link(count: int, url: str) -> str | None:
    # Zero links nowhere: the list would only say "nothing matches".
    return url if count else None
