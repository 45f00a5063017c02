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

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from hub.accounts.models import Membership
from hub.core import charts
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.mapping.figures.base import (
    FILTER_NAMES,
    Figure,
    FilterSet,
    Mark,
    Row,
    share,
    share_text,
)
from hub.mapping.figures.movement import (
    EXTERNAL_KINDS,
    TOP_ORGANIZATIONS,
    country_figure,
    kind_figure,
    organizations_figure,
    region_expression,
    region_figure,
    started_figure,
    status_figure,
    year_of,
)
from hub.mapping.figures.workshop import (
    GOAL_PHRASES,
    GOAL_REGIONS,
    MAX_MARKS,
    QUADRANTS,
    goal_figure,
    goal_region_label,
    structure_figure,
    summary,
)
from hub.partnerships.models import Partnership

__all__ = [
    "DASHBOARD",
    "EXTERNAL_KINDS",
    "FIGURES",
    "FILTER_NAMES",
    "GOAL_PHRASES",
    "GOAL_REGIONS",
    "MAPPING",
    "MAX_MARKS",
    "QUADRANTS",
    "TOP_ORGANIZATIONS",
    "Figure",
    "FilterSet",
    "Mark",
    "Row",
    "country_figure",
    "goal_figure",
    "goal_region_label",
    "kind_figure",
    "organizations_figure",
    "region_expression",
    "region_figure",
    "share",
    "share_text",
    "started_figure",
    "status_figure",
    "structure_figure",
    "summary",
    "year_of",
]

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
