"""Outcome figures for tests and the demo, made through the same services the pages use."""

from __future__ import annotations

import datetime

from hub.accounts.system import system_actor
from hub.outcomes import services
from hub.outcomes.definitions import load
from hub.outcomes.models import Figure, MetricDefinition

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)


def definition(key: str) -> MetricDefinition:
    # A transactional test empties the tables, the migration's definitions too: load them again.
    load(MetricDefinition)
    return MetricDefinition.objects.current().get(key=key)


def make_figure(*, partnership, metric: str, actor=None, **fields) -> Figure:
    fields.setdefault("period_start", START)
    fields.setdefault("period_end", END)
    return services.figure_create(
        actor=actor or system_actor(),
        partnership=partnership,
        definition=definition(metric),
        **fields,
    )
