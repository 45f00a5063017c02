"""What the benchmark measures: each scenario, how to build its requests, its floor and its targets.

A scenario's `build(ctx)` runs in-process against the benchmark database and returns a plan: the HTTP
requests (with the text each answer must contain) and how to capture the SQL for the floor. It raises
`Unavailable` when the feature is not in this build (a missing model or URL), and the runner records
the scenario as "not available in this build" instead of failing; so does a 404 at warm-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.loadgen import Request


class Unavailable(Exception):
    """The feature a scenario measures is not in this build."""


@dataclass(frozen=True)
class Target:
    """A target from an issue. `metric` names the figure it is checked against."""

    metric: str  # "p95_ms", "ratio_p50", "growth_mb", "fixed_queries", "ratio_seconds"
    limit: float
    text: str
    source: str
    applies_to: str = ""  # the size the issue states it for ("M"), empty for any

    def check(self, value: float | None) -> str:
        if value is None:
            return "missed"
        return "met" if value <= self.limit else "missed"


@dataclass
class Context:
    port: int
    size: str
    db: str
    duration: float
    concurrency: int
    loadgen: str  # "python" or "wrk"
    work_dir: Any = None
    server: Any = None
    quick: bool = False  # the smoke test: fewer URLs, tiny files
    # Seconds this scenario may take so that the whole run keeps its time budget (None: no
    # budget); bounded scenarios (long imports and exports) stop within it and say so.
    budget_s: float | None = None
    scenario_started: float = 0.0  # time.monotonic() when the current scenario began

    def bound(self, default: float, *, reserve: float = 0.0) -> tuple[float, bool]:
        """A bounded step's limit: `default`, or what is left of the scenario's share of the run's
        budget after `reserve` seconds for what follows the step (True when the budget decided)."""
        if self.budget_s is None:
            return default, False
        left = self.budget_s - (time.monotonic() - self.scenario_started) - reserve
        if left < default:
            return max(30.0, left), True
        return default, False


@dataclass
class PagePlan:
    requests: list[Request]
    user: Any = None  # a user for the in-process capture (None: anonymous)
    cold: bool = False  # clear the cache before each request
    login: tuple[str, str] | None = None  # username, password for the HTTP client
    floor_exclude: str = ""  # statements on this table are not part of the floor (cache writes)
    # The floor's statements of a request, when they are not those the page runs (the search's:
    # the bare full-text query); None: the captured ones.
    floor: Callable[[Request], list[Any]] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Scenario:
    name: str
    title: str
    kind: str  # "page", "import", "export", "mixed"
    build: Callable[[Context], Any]
    targets: list[Target] = field(default_factory=list)
    group: str = ""


REGISTRY: dict[str, Scenario] = {}


def scenario(
    name: str, title: str, kind: str = "page", targets: list[Target] | None = None, group: str = ""
) -> Callable[[Callable[[Context], Any]], Callable[[Context], Any]]:
    def register(build: Callable[[Context], Any]) -> Callable[[Context], Any]:
        REGISTRY[name] = Scenario(name, title, kind, build, targets or [], group)
        return build

    return register


def all_scenarios() -> dict[str, Scenario]:
    from bench.scenarios import pages, files, records, mixed, mixed_import, documents, search  # noqa: F401, I001 - they register in this order
    from bench.scenarios import reconcile  # noqa: F401 - after the others
    from bench.scenarios import network  # noqa: F401 - registers last

    return REGISTRY
