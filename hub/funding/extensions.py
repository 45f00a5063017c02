"""What other apps add to the in-kind infographic, without funding importing them.

An app above funding (outcomes) registers a provider in its AppConfig.ready:
`provider(user, organization, alliance, year)` answers the figures that belong beside the year's
in-kind support as `(label, value, note)` rows (value a number, note how it was made), computed
from what `user` may see. The infographic's figures are cached per viewer scope, year and
language (hub/funding/figures.py), so the rows are too.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

Row = tuple[str, Decimal, str]
Provider = Callable[[Any, Any, Any, int], list[Row]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def rows(user, organization, alliance, year: int) -> list[Row]:
    """Every registered provider's rows, in the order the apps registered."""
    return [row for provider in _providers for row in provider(user, organization, alliance, year)]
