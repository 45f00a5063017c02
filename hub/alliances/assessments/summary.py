"""What an alliance's assessment page, CSV and API read: the latest view of each assessor side
by side with the spread per item, and how the scores moved over time.

Everything starts from `Assessment.objects.visible_to(user)`, and counts only shared assessments
(never drafts), so a reader's comparison, chart, table and CSV hold the same assessments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from hub.alliances.assessments import rubric
from hub.alliances.assessments.models import Assessment, Score
from hub.directory.models import Organization


def visible_of(user, alliance: Organization):
    return (
        Assessment.objects.visible_to(user)
        .filter(alliance=alliance)
        .select_related("assessor", "organization")
    )


def latest_per_assessor(user, alliance: Organization) -> list[Assessment]:
    """Each assessor's newest shared assessment the reader may see, oldest assessor first."""
    newest: dict[int, Assessment] = {}
    for assessment in visible_of(user, alliance).shared().order_by("-assessed_on", "-pk"):
        newest.setdefault(assessment.assessor_id, assessment)
    return sorted(newest.values(), key=lambda a: (a.assessor_name.casefold(), a.pk))


@dataclass
class ItemRow:
    item: rubric.Item
    levels: list[int | None]
    spread: int | None
    agreement: str

    @property
    def part_label(self) -> str:
        return str(rubric.PARTS[self.item.part])


def _agreement(known: list[int]) -> tuple[int | None, str]:
    if len(known) < 2:
        return None, _("Not enough views")
    spread = max(known) - min(known)
    if spread == 0:
        return 0, _("Agree")
    if spread == 1:
        return 1, _("Close")
    return spread, _("Disagree")


def comparison(assessments: list[Assessment]) -> list[ItemRow]:
    """Per rubric item, the level of each assessment (None: don't know), the spread of the known
    levels (highest minus lowest) and whether the assessors agree (spread 0), are close (1) or
    disagree (2 or more)."""
    levels: dict[tuple[int, str], int | None] = {
        (assessment_id, item): level
        for assessment_id, item, level in Score.objects.filter(
            assessment__in=[a.pk for a in assessments]
        ).values_list("assessment_id", "item", "level")
    }
    rows = []
    for item in rubric.ITEMS:
        row = [levels.get((a.pk, item.key)) for a in assessments]
        spread, agreement = _agreement([level for level in row if level is not None])
        rows.append(ItemRow(item, row, spread, agreement))
    return rows


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class TimelineRow:
    assessment_id: int
    assessed_on: datetime.date
    assessor: str
    organization: str
    means: dict[str, Decimal | None] = field(default_factory=dict)
    overall: Decimal | None = None
    known: int = 0

    @property
    def part_means(self) -> list[Decimal | None]:
        return [self.means.get(part) for part in rubric.PARTS]


def timeline(user, alliance: Organization) -> list[TimelineRow]:
    """Every shared assessment the reader may see, oldest first, with the mean level of each
    part and of all items (don't know left out) and how many items had a level: one query."""
    per_part = {
        part: Avg(
            "scores__level", filter=Q(scores__item__in=[i.key for i in rubric.items_of(part)])
        )
        for part in rubric.PARTS
    }
    rows = (
        visible_of(user, alliance)
        .shared()
        .annotate(
            overall=Avg("scores__level"),
            known=Count("scores", filter=Q(scores__level__isnull=False)),
            **{f"mean_{part}": avg for part, avg in per_part.items()},
        )
        .order_by("assessed_on", "pk")
    )
    return [
        TimelineRow(
            assessment_id=a.pk,
            assessed_on=a.assessed_on,
            assessor=a.assessor_name,
            organization=a.organization.name,
            means={part: _mean(getattr(a, f"mean_{part}")) for part in rubric.PARTS},
            overall=_mean(a.overall),  # type: ignore[attr-defined]
            known=a.known,  # type: ignore[attr-defined]
        )
        for a in rows
    ]
