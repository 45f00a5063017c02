"""The collective-impact rubric: what an alliance or hub scores itself on, and the scale.

Fourteen items in three parts, worded after the project's references
(../shared/reference/partnering.md §3 and domain.md §5):

- the five conditions of collective impact (Kania & Kramer, SSIR Winter 2011; the descriptions
  follow Hanleybrown, Kania & Kramer 2012, "Channeling Change");
- the three preconditions (Hanleybrown, Kania & Kramer 2012; Tamarack "Assessing Readiness"):
  the references give their names only, so the rubric gives no description of its own;
- the six activities of a backbone organization (Turner et al. 2012, "Understanding the Value of
  Backbone Organizations in Collective Impact", SSIR).

The scale is the Tamarack/Wyoming self-assessment's four levels. Only the names of level 1
("Just Begun") and level 4 ("Completely Achieved") are in the references: levels 2 and 3 are
labelled "Level 2" and "Level 3", not given names we would have to invent. "Don't know" is the
hub's own answer for an assessor who cannot say; it is never counted as a level.

The items are code, not data: their keys are stored with each score, so a key is never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

CONDITIONS = "conditions"
PRECONDITIONS = "preconditions"
BACKBONE = "backbone"

PARTS: dict[str, Any] = {
    CONDITIONS: _("Conditions"),
    PRECONDITIONS: _("Preconditions"),
    BACKBONE: _("Backbone activities"),
}

LEVELS: dict[int, Any] = {
    1: _("Level 1: Just Begun"),
    2: _("Level 2"),
    3: _("Level 3"),
    4: _("Level 4: Completely Achieved"),
}
DONT_KNOW = _("Don't know")


@dataclass(frozen=True)
class Item:
    key: str
    part: str
    label: Any  # a lazy translation
    description: Any
    source: str


KANIA_KRAMER = "Kania & Kramer 2011; Hanleybrown, Kania & Kramer 2012"
PRECONDITION_SOURCE = "Hanleybrown, Kania & Kramer 2012; Tamarack, Assessing Readiness"
TURNER = "Turner et al. 2012, SSIR"

ITEMS: tuple[Item, ...] = (
    Item(
        "common_agenda",
        CONDITIONS,
        _("Common agenda"),
        _(
            "A shared vision for change, a common understanding of the problem and a joint "
            "approach through agreed actions."
        ),
        KANIA_KRAMER,
    ),
    Item(
        "shared_measurement",
        CONDITIONS,
        _("Shared measurement"),
        _(
            "Consistent data collection and results across the participants, for alignment and "
            "accountability."
        ),
        KANIA_KRAMER,
    ),
    Item(
        "mutually_reinforcing_activities",
        CONDITIONS,
        _("Mutually reinforcing activities"),
        _("Differentiated activities coordinated through a mutually reinforcing plan of action."),
        KANIA_KRAMER,
    ),
    Item(
        "continuous_communication",
        CONDITIONS,
        _("Continuous communication"),
        _(
            "Consistent, open communication to build trust, assure mutual objectives and create "
            "common motivation."
        ),
        KANIA_KRAMER,
    ),
    Item(
        "backbone_support",
        CONDITIONS,
        _("Backbone support"),
        _("A separate organization with staff and skills to coordinate the initiative."),
        KANIA_KRAMER,
    ),
    Item("influential_champion", PRECONDITIONS, _("Influential champion"), "", PRECONDITION_SOURCE),
    Item(
        "adequate_resources",
        PRECONDITIONS,
        _("Adequate financial resources"),
        "",
        PRECONDITION_SOURCE,
    ),
    Item(
        "urgency_for_change",
        PRECONDITIONS,
        _("Sense of urgency for change"),
        "",
        PRECONDITION_SOURCE,
    ),
    Item("guide_vision", BACKBONE, _("Guide vision and strategy"), "", TURNER),
    Item("support_aligned_activities", BACKBONE, _("Support aligned activities"), "", TURNER),
    Item(
        "establish_shared_measurement",
        BACKBONE,
        _("Establish shared measurement practices"),
        "",
        TURNER,
    ),
    Item("build_public_will", BACKBONE, _("Build public will"), "", TURNER),
    Item("advance_policy", BACKBONE, _("Advance policy"), "", TURNER),
    Item("mobilize_funding", BACKBONE, _("Mobilize funding"), "", TURNER),
)

BY_KEY: dict[str, Item] = {item.key: item for item in ITEMS}
KEYS: tuple[str, ...] = tuple(BY_KEY)


def item_choices() -> list[tuple[str, Any]]:
    return [(item.key, item.label) for item in ITEMS]


def level_label(level: int | None) -> str:
    return str(DONT_KNOW if level is None else LEVELS[level])


def items_of(part: str) -> list[Item]:
    return [item for item in ITEMS if item.part == part]
