"""The numbers behind the mapping page and the dashboard: one aggregate query per figure.

Every figure counts partnerships the viewer may see (`Partnership.objects.visible_to(user)`) narrowed
by the registry's filters (`PartnershipFilter`). A figure ignores the filters on its own dimension (the
goal diagram ignores the goal filter, the status chart the status filter, ...), as the facets of a
search page do, so it always shows its whole dimension; each of its numbers links to the registry list
with that dimension set to the number's value and every other filter kept, and the list then shows
exactly that many partnerships.

A `Figure` is what the page table, the chart (hub/mapping/specs.py) and the CSV download are all made
from, so they cannot disagree.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear, Substr
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from hub.accounts.models import Membership
from hub.core import charts
from hub.core.models import HistoryEntry
from hub.core.regions import Region, countries_in
from hub.directory.models import Organization
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.models import GOAL_FIELDS, Goal, Participant, Partnership

# Partnerships are drawn as single labelled marks on the structure map up to this many.
MAX_MARKS = 40
TOP_ORGANIZATIONS = 15
FILTER_NAMES = tuple(name for name in PartnershipFilter.base_fields if name != "sort")

# The seven regions of the goal diagram and the empty one, as the set of goals in each.
GOAL_REGIONS: list[tuple[str, frozenset[str]]] = [
    ("funding", frozenset({Goal.FUNDING})),
    ("content", frozenset({Goal.CONTENT})),
    ("advocacy", frozenset({Goal.ADVOCACY})),
    ("funding+content", frozenset({Goal.FUNDING, Goal.CONTENT})),
    ("funding+advocacy", frozenset({Goal.FUNDING, Goal.ADVOCACY})),
    ("content+advocacy", frozenset({Goal.CONTENT, Goal.ADVOCACY})),
    ("funding+content+advocacy", frozenset({Goal.FUNDING, Goal.CONTENT, Goal.ADVOCACY})),
    ("none", frozenset()),
]
QUADRANTS = [
    (Partnership.Structure.SIMPLE, Partnership.Direction.INTERNAL),
    (Partnership.Structure.COMPLEX, Partnership.Direction.INTERNAL),
    (Partnership.Structure.SIMPLE, Partnership.Direction.EXTERNAL),
    (Partnership.Structure.COMPLEX, Partnership.Direction.EXTERNAL),
]
EXTERNAL_KINDS = [k for k in Organization.Kind if k not in Organization.MOVEMENT_KINDS]


# How the summary names each goal inside a sentence ("61% serve content for Wikimedia projects").
GOAL_PHRASES = {
    Goal.FUNDING: gettext_lazy("funding or resources"),
    Goal.CONTENT: gettext_lazy("content for Wikimedia projects"),
    Goal.ADVOCACY: gettext_lazy("advocacy or outreach"),
}


def goal_region_label(goals: frozenset[str]) -> str:
    if not goals:
        return _("No goal recorded")
    names = [str(Goal(g).label) for g in Goal if g in goals]
    if len(names) == 1:
        return _("%(goal)s only") % {"goal": names[0]}
    return " + ".join(names)


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


def _link(count: int, url: str) -> str | None:
    # Zero links nowhere: the list would only say "nothing matches".
    return url if count else None


# --- the mapping page -----------------------------------------------------------------------------


def goal_figure(user, fs: FilterSet) -> Figure:
    """The goal diagram: partnerships in each of the seven regions of three goals, and with none."""
    drop = ("goal", "goal_match")
    qs = fs.queryset(user, drop)

    def exactly(goals: frozenset[str]) -> Q:
        return Q(**{f: (g in goals) for g, f in GOAL_FIELDS.items()})

    counts = qs.aggregate(
        total=Count("pk"),
        **{key: Count("pk", filter=exactly(goals)) for key, goals in GOAL_REGIONS},
    )
    total = counts["total"]
    rows = []
    for key, goals in GOAL_REGIONS:
        n = counts[key]
        url = (
            fs.list_url(drop, goal=sorted(goals), goal_match="exact") if goals else None
        )  # the list cannot select "no goal"
        rows.append(
            Row(
                key,
                goal_region_label(goals),
                [n],
                [_link(n, url) if url else None],
                share(n, total),
            )
        )
    return Figure(
        name="goals",
        title=_("Goals of partnerships"),
        caption=_(
            "Each partnership counted once, in the region of exactly the goals it serves: funding "
            "or resources, content for Wikimedia projects, advocacy or outreach."
        ),
        label_header=_("Goals"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
        shares=True,
    )


def structure_figure(user, fs: FilterSet) -> Figure:
    """The structure map: simple/complex by internal/external, with each partnership when few."""
    drop = ("structure", "direction")
    qs = fs.queryset(user, drop)
    counts = {
        (r["structure"], r["direction"]): r["n"]
        for r in qs.values("structure", "direction").annotate(n=Count("pk"))
    }
    total = sum(counts.values())
    rows = []
    for structure, direction in QUADRANTS:
        n = counts.get((structure, direction), 0)
        rows.append(
            Row(
                f"{structure}+{direction}",
                _("%(structure)s, %(direction)s")
                % {
                    "structure": Partnership.Structure(structure).label,
                    "direction": str(Partnership.Direction(direction).label).lower(),
                },
                [n],
                [_link(n, fs.list_url(drop, structure=structure, direction=direction))],
                share(n, total),
            )
        )
    marks = None
    if total <= MAX_MARKS:
        marks = [
            Mark(
                p["title"],
                reverse("partnerships:detail", args=[p["pk"]]),
                p["structure"],
                p["direction"],
            )
            for p in qs.order_by("title", "pk").values("pk", "title", "structure", "direction")[
                :MAX_MARKS
            ]
        ]
    return Figure(
        name="structure",
        title=_("Structure of partnerships"),
        caption=_(
            "Simple (two organizations, one activity) or complex, and internal to the movement or "
            "with external organizations."
        ),
        label_header=_("Structure and direction"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
        shares=True,
        marks=marks,
        note=""
        if marks is not None
        else _("More than %(n)d partnerships: drawn as counts only.") % {"n": MAX_MARKS},
    )


def summary(goals: Figure, structure: Figure) -> list[str]:
    """Plain-language sentences computed from the two mapping figures."""
    if not goals.total:
        return [_("No partnership matches these filters.")]
    by_key = {row.key: row.values[0] for row in goals.rows}
    total = goals.total

    def serving(goal: str) -> int:
        return sum(n for key, n in by_key.items() if goal in key.split("+"))

    sentences = [
        ngettext("%(n)d partnership is mapped.", "%(n)d partnerships are mapped.", total)
        % {"n": total}
    ]
    served = sorted(((serving(g), g) for g in Goal), key=lambda t: (-t[0], t[1]))
    sentences.append(
        "; ".join(
            _("%(share)s%% serve %(goal)s")
            % {"share": share_text(share(n, total)), "goal": GOAL_PHRASES[Goal(g)]}
            for n, g in served
        )
        + "."
    )
    alone = [(by_key[g], g) for g in Goal]
    sentences.append(
        "; ".join(
            _("%(share)s%% serve %(goal)s alone")
            % {"share": share_text(share(n, total)), "goal": GOAL_PHRASES[Goal(g)]}
            for n, g in alone
        )
        + "."
    )
    multi = sum(n for key, n in by_key.items() if key.count("+") >= 1)
    sentences.append(
        _("%(share)s%% serve more than one goal.") % {"share": share_text(share(multi, total))}
    )
    if structure.total:
        q = {row.key: row.values[0] for row in structure.rows}
        complex_n = q["complex+internal"] + q["complex+external"]
        external_n = q["simple+external"] + q["complex+external"]
        sentences.append(
            _(
                "%(complex)s%% are complex and %(external)s%% involve external organizations; "
                "%(ce)s%% are both."
            )
            % {
                "complex": share_text(share(complex_n, structure.total)),
                "external": share_text(share(external_n, structure.total)),
                "ce": share_text(share(q["complex+external"], structure.total)),
            }
        )
    if by_key["none"]:
        sentences.append(
            ngettext(
                "%(n)d partnership has no goal recorded.",
                "%(n)d partnerships have no goal recorded.",
                by_key["none"],
            )
            % {"n": by_key["none"]}
        )
    return sentences


# --- the dashboard --------------------------------------------------------------------------------


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


MAPPING: dict[str, Callable[[Any, FilterSet], Figure]] = {
    "goals": goal_figure,
    "structure": structure_figure,
}
DASHBOARD: dict[str, Callable[[Any, FilterSet], Figure]] = {
    "started": started_figure,
    "statuses": status_figure,
    "kinds": kind_figure,
    "countries": country_figure,
    "regions": region_figure,
    "organizations": organizations_figure,
}
FIGURES = {**MAPPING, **DASHBOARD}


# --- caching the figures --------------------------------------------------------------------------

FIGURE_TIMEOUT = 60 * 15


def viewer_scope(user) -> str:
    """What decides which partnerships `user` sees (see `visible_to`): users alike share figures."""
    if not user.is_authenticated:
        return "anonymous"
    if user.is_staff:
        return "staff"
    orgs = Membership.objects.filter(user=user).order_by("organization_id")
    return "member:" + ",".join(str(pk) for pk in orgs.values_list("organization_id", flat=True))


def data_fingerprint() -> str:
    """Changes whenever the registry or the directory changes; four indexed look-ups, one query.

    Every service records a history entry (so the newest entry's id moves on every write, deletions
    included), deletions in the admin leave a log entry, and rows written around the services
    (bulk loaders, the benchmark's generator) still move `updated_at`.
    """
    from django.contrib.admin.models import LogEntry

    q = connection.ops.quote_name
    # One round trip instead of four: this runs on every view of a cached page.
    # Table and column names come from the models, never from input.
    newest = ", ".join(
        f"(SELECT MAX({q(str(column))}) FROM {q(model._meta.db_table)})"  # noqa: S608
        for model, column in (
            (HistoryEntry, HistoryEntry._meta.pk.column),
            (LogEntry, LogEntry._meta.pk.column),
            (Partnership, Partnership._meta.get_field("updated_at").column),
            (Organization, Organization._meta.get_field("updated_at").column),
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        row = cursor.fetchone()
    return "/".join(str(value) for value in row)


Builders = dict[str, Callable[[Any, FilterSet], Figure]]


def figures_key(user, fs: FilterSet, builders: Builders, data: str | None = None) -> str:
    """The cache key of the figures of `builders` for `user` and `fs` while the data are unchanged.

    `data` is the `data_fingerprint()` when the caller already has it.
    """
    return charts.cache_key(
        {
            "figures": sorted(builders),
            "params": fs.params,
            "viewer": viewer_scope(user),
            "data": data if data is not None else data_fingerprint(),
            "language": get_language(),
        },
        "figures",
    )


def build_figures(user, fs: FilterSet, builders: Builders, key: str | None = None) -> list[Figure]:
    """The figures of a page for `user` and `fs`, from the cache while the data are unchanged."""
    key = key or figures_key(user, fs, builders)
    found = cache.get(key)
    if found is None:
        found = [build(user, fs) for build in builders.values()]
        cache.set(key, found, FIGURE_TIMEOUT)
    return found
