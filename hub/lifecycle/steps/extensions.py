"""What apps above the lifecycle show on a step (the resource library), without this app importing
them. An upper app registers a provider in its AppConfig.ready(): `provider(user, steps)` answers,
for each step, the items `user` may see, in one or two queries whatever the number of steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepItem:
    """One thing to use at a step: a title, where it is, and a short line saying what it is."""

    title: str
    url: str
    note: str = ""
    language: str = ""  # the language of its title, when known (for the `lang` attribute)


Provider = Callable[[Any, Sequence[Any]], dict[int, list[StepItem]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def items_for(user, steps: Sequence[Any]) -> dict[int, list[StepItem]]:
    """Each step's items (by step pk) from every registered provider, in registration order."""
    found: dict[int, list[StepItem]] = {step.pk: [] for step in steps}
    for provider in _PROVIDERS:
        for pk, items in provider(user, steps).items():
            found.setdefault(pk, []).extend(items)
    return found
