"""The outcomes beside a year's in-kind support on the infographic (hub/funding/extensions.py):
the totals of the figures whose period overlaps the year, over the partnerships the viewer may
see of the organization, the alliance and its members, or the movement, each named with its
metric definition's version and said how it was made (hub/outcomes/rollups.py)."""

from __future__ import annotations

from decimal import Decimal

from hub.outcomes.rollups import (
    alliance_partnerships,
    movement_partnerships,
    organization_partnerships,
    totals,
)


def infographic_rows(user, organization, alliance, year: int) -> list[tuple[str, Decimal, str]]:
    if organization is not None:
        partnerships = organization_partnerships(user, organization)
    elif alliance is not None:
        partnerships = alliance_partnerships(user, alliance)
    else:
        partnerships = movement_partnerships(user)
    return [
        (str(total.definition), total.value, total.method)
        for total in totals(partnerships, year=year)
        if total.value
    ]
