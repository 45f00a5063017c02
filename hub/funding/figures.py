"""The in-kind figures behind the infographic: aggregates, conversion and their cache.

Each figure is one aggregate query (values().annotate()) over the contributions the viewer may
see. Amounts are converted to the reporting currency at the rate of their own date (contributions
in the reporting currency are grouped without their date, so they need no rate). A missing rate
refuses the conversion with a message naming the currency and date; the figures then show the
totals per original currency instead of a guessed total.

Figures are cached through the figure cache (hub/core/figcache.py): per scope, year, currency,
language and viewer scope (who sees which confidential contributions), valid while the generation
they were made in is current. Every write that records history moves it when it commits, so a
cached answer is never stale.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, DateField, F, Max, Q, Sum, Value, When
from django.utils.translation import gettext as _

from hub.core import figcache
from hub.directory.models import AllianceMembership, Organization
from hub.funding import extensions
from hub.funding.exchange_rates.currency import MissingExchangeRate, RateTable
from hub.funding.models import Category, InKindContribution, Unit

CACHE_TIMEOUT = 60 * 60 * 24
TOP_DONORS = 8
CENT = Decimal("0.01")


@dataclass
class Scope:
    """What the figures cover: one organization, an alliance's members, or the movement."""

    organization: Organization | None = None
    alliance: Organization | None = None

    @property
    def key(self) -> str:
        if self.organization:
            return f"org-{self.organization.pk}"
        if self.alliance:
            return f"alliance-{self.alliance.pk}"
        return "movement"

    @property
    def label(self) -> str:
        if self.organization:
            return self.organization.name
        if self.alliance:
            return self.alliance.name
        return str(_("The Wikimedia movement"))

    def apply(self, qs):
        if self.organization:
            return qs.filter(receiving_organization=self.organization)
        if self.alliance:
            members = AllianceMembership.objects.filter(alliance=self.alliance).values("member_id")
            return qs.filter(
                Q(receiving_organization_id__in=members) | Q(receiving_organization=self.alliance)
            )
        return qs


@dataclass
class Figures:
    scope: str
    year: int
    currency: str
    contributions: int = 0
    total: Decimal | None = None
    hours: Decimal = Decimal(0)
    by_category: list[tuple[str, str, Decimal]] = field(default_factory=list)
    top_donors: list[tuple[str, Decimal]] = field(default_factory=list)
    partners: int = 0
    previous_total: Decimal | None = None
    change_percent: Decimal | None = None
    by_currency: list[tuple[str, Decimal]] = field(default_factory=list)
    # currency, first and last day of the rates used
    rate_dates: list[tuple[str, datetime.date, datetime.date]] = field(default_factory=list)
    error: str = ""
    missing_currency: str = ""
    missing_date: datetime.date | None = None
    previous_error: str = ""
    confidential_included: bool = False
    # What other apps add beside the year's support (hub/funding/extensions.py): outcomes.
    extra: list[tuple[str, Decimal, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Converter:
    """Sums amounts in the reporting currency, remembering which rate dates it used."""

    def __init__(self, table: RateTable, currency: str) -> None:
        self.table = table
        self.currency = currency
        self.used: dict[str, list[datetime.date]] = {}

    def __call__(self, amount: Decimal, currency: str, day: datetime.date | None) -> Decimal:
        if currency == self.currency or day is None:
            return amount
        source, source_date = self.table.rate(currency, day)
        target, target_date = self.table.rate(self.currency, day)
        for code, used in ((currency, source_date), (self.currency, target_date)):
            if used is not None:
                span = self.used.setdefault(code, [used, used])
                span[0], span[1] = min(span[0], used), max(span[1], used)
        return amount / source * target


def _grouped(qs, currency: str, *keys: str, **extra: Any):
    """values(*keys, currency, day).annotate(total, n): the day only where a conversion needs it."""
    day = Case(
        When(currency=currency, then=Value(None, output_field=DateField())),
        default=F("date"),
        output_field=DateField(),
    )
    return qs.values(*keys, "currency", day=day).annotate(
        total=Sum("value"), n=Count("id"), **extra
    )


def _year_range(table_currencies: set[str], currency: str, year: int) -> RateTable:
    return RateTable.load(
        table_currencies | {currency}, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )


def _quantized(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def compute(user, scope: Scope, year: int, currency: str) -> Figures:
    """The figures of `scope` in `year`, in `currency`, as `user` may see them (no cache).

    One aggregate query over the year (category x donor x currency x day, with hours and the
    confidential count), one over the year before, one for the top donors' names.
    """
    base = scope.apply(InKindContribution.objects.visible_to(user).current())
    figures = Figures(scope=scope.label, year=year, currency=currency)
    rows = list(
        _grouped(
            base.in_year(year),
            currency,
            "category",
            "donor_organization",
            "donor_name",
            hours=Sum(Case(When(unit=Unit.HOURS, then=F("quantity")), default=None)),
            secret=Count(Case(When(confidential=True, then=Value(1)), default=None)),
        )
    )
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    donor_keys: set[tuple[Any, str]] = set()
    for row in rows:
        per_currency[row["currency"]] += row["total"]
        figures.contributions += row["n"]
        figures.hours += row["hours"] or 0
        figures.confidential_included = figures.confidential_included or row["secret"] > 0
        row["donor"] = (
            (row["donor_organization"], "")
            if row["donor_organization"]
            else (None, " ".join(row["donor_name"].split()).casefold())
        )
        donor_keys.add(row["donor"])
    figures.by_currency = sorted(per_currency.items())
    figures.partners = len(donor_keys)
    convert = _Converter(_year_range(set(per_currency), currency, year), currency)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    donors: dict[tuple[Any, str], Decimal] = defaultdict(Decimal)
    names: dict[tuple[Any, str], str] = {}
    try:
        for row in rows:
            value = convert(row["total"], row["currency"], row["day"])
            by_category[row["category"]] += value
            donors[row["donor"]] += value
            names.setdefault(row["donor"], row["donor_name"])
    except MissingExchangeRate as exc:
        figures.error = str(exc)
        figures.missing_currency, figures.missing_date = exc.currency, exc.on_date
    if not figures.error:
        labels = dict(Category.choices)
        figures.by_category = sorted(
            (
                (code, str(labels.get(code, code)), _quantized(value))
                for code, value in by_category.items()
            ),
            key=lambda item: (-item[2], item[1]),
        )
        # the sum of the amounts, rounded once (the categories' rounded totals can be a cent off)
        figures.total = _quantized(sum(by_category.values(), Decimal(0)))
        top = sorted(donors.items(), key=lambda kv: (-kv[1], str(kv[0])))[:TOP_DONORS]
        org_names = dict(
            Organization.objects.filter(pk__in=[key[0] for key, _v in top if key[0]]).values_list(
                "pk", "name"
            )
        )
        figures.top_donors = sorted(
            (
                (org_names.get(key[0], "") if key[0] else names[key], _quantized(value))
                for key, value in top
            ),
            key=lambda item: (-item[1], item[0]),
        )

    previous = list(_grouped(base.in_year(year - 1), currency))
    if previous:
        before = _Converter(
            _year_range({row["currency"] for row in previous}, currency, year - 1), currency
        )
        try:
            figures.previous_total = _quantized(
                sum(
                    (before(row["total"], row["currency"], row["day"]) for row in previous),
                    Decimal(0),
                )
            )
        except MissingExchangeRate as exc:
            figures.previous_error = str(exc)
        for code, span in before.used.items():
            mine = convert.used.setdefault(code, list(span))
            mine[0], mine[1] = min(mine[0], span[0]), max(mine[1], span[1])
    # No contributions this year is no data, not a fall of 100 %.
    if figures.contributions and figures.total is not None and figures.previous_total:
        figures.change_percent = (
            (figures.total - figures.previous_total) / figures.previous_total * 100
        ).quantize(Decimal("0.1"), ROUND_HALF_UP)
    figures.rate_dates = [(code, span[0], span[1]) for code, span in sorted(convert.used.items())]
    figures.extra = extensions.rows(user, scope.organization, scope.alliance, year)
    return figures


def latest_year(user, scope: Scope) -> int | None:
    """The latest year with a contribution of `scope` that `user` may see (None: there is none)."""
    latest = (
        scope.apply(InKindContribution.objects.visible_to(user).current())
        .aggregate(latest=Max("date"))
        .get("latest")
    )
    return latest.year if latest else None


def cache_key(user, scope: Scope, year: int, currency: str, *parts: str) -> str:
    """The figure cache's key of what the infographic shows `user` for these choices; `parts`
    name the output ("figures", "page", "download")."""
    return figcache.key(
        "infographic",
        figcache.viewer_scope(user),
        scope=scope.key,
        year=year,
        currency=currency,
        parts=parts,
    )


def figures_for(user, scope: Scope, year: int, currency: str) -> Figures:
    """The cached figures (computed once per generation, scope, year, currency, language and
    viewer scope)."""
    return figcache.cached(
        cache_key(user, scope, year, currency, "figures"),
        lambda: compute(user, scope, year, currency),
        CACHE_TIMEOUT,
    )
