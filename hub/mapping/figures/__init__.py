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

from hub.core import figcache
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
Builders = dict[str, Callable[[Any, FilterSet], Figure]]


def figures_key(scope: str, fs: FilterSet, builders: Builders) -> str:
    """The cache key of the figures of `builders` for a viewer scope (hub.core.figcache) and `fs`."""
    return figcache.key("mapping-figures", scope, figures=sorted(builders), params=fs.params)


def build_figures(user, fs: FilterSet, builders: Builders) -> list[Figure]:
    """The figures of `builders` for `user` and `fs`, from the cache while the data are unchanged."""
    key = figures_key(figcache.viewer_scope(user), fs, builders)
    return figcache.cached(
        key, lambda: [build(user, fs) for build in builders.values()], FIGURE_TIMEOUT
    )
