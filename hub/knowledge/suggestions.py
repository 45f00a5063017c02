"""Who could help with a clinic question: people of organizations that ran similar partnerships,
read from the registry (not self-declared skills)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from hub.accounts.models import User
from hub.knowledge.choices import Facet
from hub.knowledge.models import Question
from hub.lifecycle.steps.models import StepVisit
from hub.partnerships.models import GOAL_FIELDS, Participant, Partnership

LIMIT = 5


def similar_partnerships(viewer, *, steps, goals, partner_types) -> QuerySet[Partnership]:
    """Partnerships `viewer` may see that share a partner type (a participant of that kind), a
    goal or a lifecycle step (one they went through) with the topics. No topic: none."""
    similar: Any = Q(pk__in=[])
    if partner_types:
        similar |= Exists(
            Participant.objects.filter(
                partnership=OuterRef("pk"), organization__kind__in=list(partner_types)
            )
        )
    for goal in goals:
        if goal in GOAL_FIELDS:
            similar |= Q(**{GOAL_FIELDS[goal]: True})  # type: ignore[index]
    if steps:
        similar |= Exists(
            StepVisit.objects.filter(
                progress__partnership=OuterRef("pk"), step__key__in=list(steps)
            )
        )
    return Partnership.objects.visible_to(viewer).filter(similar)


def suggested_helpers(question: Question, viewer, *, limit: int = LIMIT) -> list[User]:
    """Up to `limit` people who are members of organizations that took part in partnerships
    like the question's, most similar partnerships first, leaving out the asker and the asking
    organization's members. Each carries `similar` (how many such partnerships) and
    `organization_name` (one of their organizations that took part). One query.

    Only partnerships `viewer` may see count, so a suggestion never tells of a private one."""
    topics: dict[str, list[str]] = {Facet.STEP: [], Facet.GOAL: [], Facet.PARTNER_TYPE: []}
    for tag in question.tags.all():
        topics[tag.facet].append(tag.value)
    similar = similar_partnerships(
        viewer,
        steps=topics[Facet.STEP],
        goals=topics[Facet.GOAL],
        partner_types=topics[Facet.PARTNER_TYPE],
    )
    if question.partnership_id:
        similar = similar.exclude(pk=question.partnership_id)
    team = User.objects.filter(memberships__organization_id=question.organization_id)
    rows = (
        User.objects.filter(
            is_active=True,
            memberships__organization__participations__partnership__in=similar.values("pk"),
        )
        .exclude(pk__in=team.values("pk"))
        .exclude(pk=question.asker_id or 0)
        .annotate(
            similar=Count("memberships__organization__participations__partnership", distinct=True),
            organization_name=Min("memberships__organization__name"),
        )
        .order_by("-similar", "username")
    )
    return list(rows[:limit])
