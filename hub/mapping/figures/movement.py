"""The movement dashboard's figures: partnerships started per year, by status, by type of external
organization, by country and region, and the most-partnered external organizations."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from hub.core.regions import Region, countries_in
from hub.directory.models import Organization
from hub.mapping.figures.base import Figure, FilterSet, Row, share
from hub.mapping.figures.base import link as _link
from hub.partnerships.models import GOAL_FIELDS, Goal, Participant, Partnership

TOP_ORGANIZATIONS = 15
EXTERNAL_KINDS = [k for k in Organization.Kind if k not in Organization.MOVEMENT_KINDS]


def year_of(field_name: str):
    """The year of a date column. SQLite has no native EXTRACT (Django calls back into Python for
    every row), but stores dates as ISO text, so the year is the first four characters there."""
    if connection.vendor == "sqlite":
        return Cast(Substr(field_name, 1, 4), IntegerField())
    return ExtractYear(field_name)


def started_figure(user, fs: FilterSet) -> Figure:
    """Partnerships started per year, in all and serving each goal (undated ones are left out)."""
    drop = ("goal", "goal_match", "started")
    qs = fs.queryset(user, drop).filter(start_date__isnull=False)
    per_year = (
        qs.annotate(year=year_of("start_date"))
        .values("year")
        .annotate(
            total=Count("pk"),
            **{g.value: Count("pk", filter=Q(**{f: True})) for g, f in GOAL_FIELDS.items()},
        )
        .order_by("year")
    )
    rows = []
    total = 0
    row_dicts: list[dict[str, Any]] = [dict(r) for r in per_year]  # goal keys: not in the type
    for r in row_dicts:
        year = r["year"]
        values = [r["total"], *(r[g.value] for g in Goal)]
        links = [_link(r["total"], fs.list_url(drop, started=year))] + [
            _link(r[g.value], fs.list_url(drop, started=year, goal=g.value)) for g in Goal
        ]
        total += r["total"]
        rows.append(Row(str(year), str(year), values, links))
    return Figure(
        name="started",
        title=_("Partnerships started per year, by goal"),
        caption=_(
            "A partnership serving several goals counts under each of them; partnerships without "
            "a start date are not counted."
        ),
        label_header=_("Year"),
        columns=[_("All"), *(str(g.label) for g in Goal)],
        rows=rows,
        total=total,
        total_link=None,
    )


def _running_participants(user, fs: FilterSet, drop: Iterable[str]) -> QuerySet[Participant]:
    partnerships = fs.queryset(user, (*drop, "status")).filter(status__in=fs.running_statuses)
    return Participant.objects.filter(partnership__in=partnerships.values("pk")).order_by()


def _running_total(user, fs: FilterSet, drop: Iterable[str]) -> tuple[int, str | None]:
    statuses = fs.running_statuses
    n = fs.queryset(user, (*drop, "status")).filter(status__in=statuses).count() if statuses else 0
    return n, _link(n, fs.list_url(drop, status=statuses))


RUNNING_CAPTION = gettext_lazy(
    "Running partnerships (idea, prospect, active or paused). A partnership with several "
    "participants counts once under each of their %(what)s, so the numbers can add up to more "
    "than the total."
)


def kind_figure(user, fs: FilterSet) -> Figure:
    """Running partnerships by the type of the external organizations taking part."""
    drop = ("partner_kind",)
    statuses = fs.running_statuses
    counts = {
        r["organization__kind"]: r["n"]
        for r in _running_participants(user, fs, drop)
        .exclude(organization__kind__in=Organization.MOVEMENT_KINDS)
        .values("organization__kind")
        .annotate(n=Count("partnership", distinct=True))
    }
    rows = [
        Row(
            kind.value,
            str(kind.label),
            [counts[kind]],
            [_link(counts[kind], fs.list_url(drop, partner_kind=kind.value, status=statuses))],
        )
        for kind in sorted(EXTERNAL_KINDS, key=lambda k: (-counts.get(k, 0), str(k.label)))
        if counts.get(kind)
    ]
    total, total_link = _running_total(user, fs, drop)
    return Figure(
        name="kinds",
        title=_("Running partnerships by type of external organization"),
        caption=str(RUNNING_CAPTION) % {"what": _("types")},
        label_header=_("Type of organization"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=total_link,
    )


def country_figure(user, fs: FilterSet) -> Figure:
    """Running partnerships by the countries of their participants."""
    drop = ("country",)
    statuses = fs.running_statuses
    counts = (
        _running_participants(user, fs, drop)
        .exclude(organization__country="")
        .values("organization__country")
        .annotate(n=Count("partnership", distinct=True))
    )
    pairs = sorted(
        ((r["organization__country"], r["n"]) for r in counts),
        key=lambda t: (-t[1], str(countries.name(t[0]))),
    )
    rows = [
        Row(
            code,
            str(countries.name(code)) or code,
            [n],
            [_link(n, fs.list_url(drop, country=code, status=statuses))],
        )
        for code, n in pairs
    ]
    total, total_link = _running_total(user, fs, drop)
    return Figure(
        name="countries",
        title=_("Running partnerships by country"),
        caption=str(RUNNING_CAPTION) % {"what": _("countries")},
        label_header=_("Country"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=total_link,
    )


def region_expression() -> Case:
    """The world region of a participant's country, computed in the database."""
    return Case(
        *[
            When(organization__country__in=countries_in(region), then=Value(region.value))
            for region in Region
        ],
        default=Value(""),
        output_field=CharField(),
    )


def region_figure(user, fs: FilterSet) -> Figure:
    """Running partnerships by the world regions of their participants."""
    drop = ("region",)
    statuses = fs.running_statuses
    counts = {
        r["region"]: r["n"]
        for r in _running_participants(user, fs, drop)
        .annotate(region=region_expression())
        .exclude(region="")
        .values("region")
        .annotate(n=Count("partnership", distinct=True))
    }
    rows = [
        Row(
            region.value,
            str(region.label),
            [counts.get(region.value, 0)],
            [
                _link(
                    counts.get(region.value, 0),
                    fs.list_url(drop, region=region.value, status=statuses),
                )
            ],
        )
        for region in Region
    ]
    total, total_link = _running_total(user, fs, drop)
    return Figure(
        name="regions",
        title=_("Running partnerships by region"),
        caption=str(RUNNING_CAPTION) % {"what": _("regions")},
        label_header=_("Region"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=total_link,
    )


def organizations_figure(user, fs: FilterSet) -> Figure:
    """The external organizations taking part in the most partnerships."""
    drop = ("organization", "members")
    qs = fs.queryset(user, drop)
    top = (
        Participant.objects.filter(partnership__in=qs.values("pk"))
        .exclude(organization__kind__in=Organization.MOVEMENT_KINDS)
        .values("organization_id", "organization__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__name", "organization_id")[:TOP_ORGANIZATIONS]
    )
    rows = [
        Row(
            str(r["organization_id"]),
            r["organization__name"],
            [r["n"]],
            [fs.list_url(drop, organization=r["organization_id"])],
        )
        for r in top
    ]
    total = qs.count()
    return Figure(
        name="organizations",
        title=_("Most-partnered external organizations"),
        caption=_("The %(n)d external organizations with the most partnerships, in any status.")
        % {"n": TOP_ORGANIZATIONS},
        label_header=_("Organization"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
    )


def status_figure(user, fs: FilterSet) -> Figure:
    """How many partnerships have each status."""
    drop = ("status",)
    qs = fs.queryset(user, drop)
    counts = {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("pk"))}
    total = sum(counts.values())
    rows = [
        Row(
            status.value,
            str(status.label),
            [counts.get(status.value, 0)],
            [_link(counts.get(status.value, 0), fs.list_url(drop, status=status.value))],
            share(counts.get(status.value, 0), total),
        )
        for status in Partnership.Status
    ]
    return Figure(
        name="statuses",
        title=_("Partnerships by status"),
        caption=_("Every partnership counts once, under its current status."),
        label_header=_("Status"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
        shares=True,
    )
