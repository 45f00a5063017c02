"""The vocabularies lessons and clinic questions share: categories, and the topics (tags) that
link them to lifecycle steps, goals and partner types."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.lifecycle.steps.presets import PRESETS
from hub.partnerships.models import Goal


class Category(models.TextChoices):
    """Meta-Wiki's learning-pattern categories (partnering.md §2: the eleven of
    Learning_patterns/Categories), then the partnership ones the hub adds, marked as the hub's."""

    EVENT = "event", _("event")
    SURVEY = "survey", _("survey")
    ONLINE_ENGAGEMENT = "online_engagement", _("online engagement")
    OUTREACH = "outreach", _("outreach")
    TEAMWORK = "teamwork", _("teamwork")
    EVALUATION = "evaluation", _("evaluation")
    REPORTING = "reporting", _("reporting")
    ORGANIZATIONAL_DESIGN = "organizational_design", _("organizational design")
    GENDER_GAP = "gender_gap", _("gender gap")
    WIKI_DESIGN = "wiki_design", _("wiki design")
    WMF_GRANTMAKING = "wmf_grantmaking", _("wmf grantmaking")
    # the hub's own, not Meta's
    PARTNERSHIPS = "partnerships", _("partnerships (the hub's category)")
    AGREEMENTS = "agreements", _("agreements (the hub's category)")
    IN_KIND = "in_kind", _("in-kind support (the hub's category)")


META_CATEGORIES = [c for c in Category if c not in {"partnerships", "agreements", "in_kind"}]


def _step_choices() -> list[tuple[str, object]]:
    """Every preset's step keys, once each (a key two presets share, such as "implementation",
    names the same kind of step), in the presets' order."""
    seen: dict[str, object] = {}
    for preset in PRESETS.values():
        for step in preset.steps:
            seen.setdefault(step.key, step.name)
    return list(seen.items())


STEP_CHOICES = _step_choices()
STEP_KEYS = frozenset(key for key, _label in STEP_CHOICES)
GOAL_CHOICES = list(Goal.choices)
PARTNER_TYPE_CHOICES = list(Organization.Kind.choices)


class Facet(models.TextChoices):
    STEP = "step", _("Lifecycle step")
    GOAL = "goal", _("Goal")
    PARTNER_TYPE = "partner_type", _("Partner type")


FACET_CHOICES: dict[str, list[tuple[str, Any]]] = {
    Facet.STEP: STEP_CHOICES,
    Facet.GOAL: GOAL_CHOICES,
    Facet.PARTNER_TYPE: PARTNER_TYPE_CHOICES,
}


def facet_label(facet: str, value: str) -> str:
    return str(dict(FACET_CHOICES.get(facet, [])).get(value, value))
