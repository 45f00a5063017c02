"""A demo alliance assessed by two of its members, twice, so the assessment page has two views
to compare and scores that move over time.

The alliance is the partnerships peer group that met at the November 2016 workshop
(../shared/seed/), recorded as a network of the affiliates that took part, for the demo only: it
is not a recognised alliance, and its description says so. The scores and comments are
illustrative, written for the demo from the workshop's notes (its vision of "a backbone
structure to support our partnership work" is why backbone support scores low); they are not
anyone's real assessment, and every assessment is marked as demo data. The assessors are the demo
accounts of hub.partnerships.demo: demo-editor for Wikimedia Polska and demo-manager for
Wikimedia Deutschland.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from hub.accounts.models import User
from hub.accounts.system import system_actor
from hub.alliances.assessments import rubric, services
from hub.alliances.assessments.models import Assessment
from hub.directory import services as directory_services
from hub.directory.models import Organization
from hub.meetings.models import Meeting

NAME = "Partnerships peer group (demo)"
DESCRIPTION = (
    "Demo data: the partnerships peer group of the November 2016 Partnerships Workshop, recorded "
    "as a network of the affiliates that took part so that the collective-impact pages have an "
    "alliance to show. It is not a recognised alliance."
)
MEMBERS = ["WMDE", "WMPL", "WMEE", "WMAR", "WMAT", "WMNL", "WMSE", "WMUK"]
WORKSHOP = "Partnerships Workshop, November 2016"

# (username, organization code, date, {item: level or None}, {item: comment}); unnamed items: 2
ROUNDS: list[tuple[str, str, datetime.date, dict[str, int | None], dict[str, str]]] = [
    (
        "demo-editor",
        "WMPL",
        datetime.date(2016, 11, 2),
        {
            "common_agenda": 2,
            "shared_measurement": 1,
            "backbone_support": 1,
            "influential_champion": None,
            "adequate_resources": 1,
            "advance_policy": None,
            "mobilize_funding": 1,
        },
        {
            "common_agenda": "Six visions agreed at the workshop; no agreed actions yet.",
            "backbone_support": "The workshop's vision asks for a backbone structure; none exists.",
        },
    ),
    (
        "demo-manager",
        "WMDE",
        datetime.date(2016, 11, 2),
        {
            "common_agenda": 3,
            "shared_measurement": 1,
            "continuous_communication": 3,
            "backbone_support": 1,
            "guide_vision": 3,
            "mobilize_funding": None,
        },
        {
            "continuous_communication": "The group keeps using the Partnerships portal on Meta.",
        },
    ),
    (
        "demo-manager",
        "WMDE",
        datetime.date(2017, 6, 1),
        {
            "common_agenda": 3,
            "shared_measurement": 2,
            "continuous_communication": 3,
            "backbone_support": 2,
            "guide_vision": 3,
            "mobilize_funding": None,
        },
        {
            "backbone_support": "Illustrative: a vision document on a backbone structure exists.",
        },
    ),
]


def _scores(levels: dict[str, int | None], comments: dict[str, str], evidence) -> dict:
    out: dict[str, dict[str, Any]] = {}
    for key in rubric.KEYS:
        out[key] = {
            "level": levels.get(key, 2),
            "comment": comments.get(key, ""),
            "evidence": evidence if key in ("common_agenda", "continuous_communication") else [],
        }
    return out


@transaction.atomic
def load_demo(out=print) -> int:
    """Add the demo alliance and its assessments (after the partnerships' and the meetings' demo
    data). Idempotent: an existing demo alliance is left as it is. Returns the assessments added."""
    if Organization.objects.filter(name=NAME).exists():
        return 0
    members = list(Organization.objects.filter(short_code__in=MEMBERS))
    if not members:
        out("  skipped the demo alliance: the workshop's affiliates are not loaded")
        return 0
    actor = system_actor()
    alliance = directory_services.organization_create(
        actor=actor,
        name=NAME,
        kind=Organization.Kind.NETWORK,
        description=DESCRIPTION,
        source_note="Demo data.",
        verified=False,
    )
    for member in sorted(members, key=lambda m: m.name):
        directory_services.alliance_membership_add(
            actor=actor, alliance=alliance, member=member, since=datetime.date(2016, 11, 1)
        )
    workshop = Meeting.objects.filter(title=WORKSHOP, is_demo=True).first()
    evidence = [("meeting", workshop.pk)] if workshop is not None else []
    added = 0
    for username, code, day, levels, comments in ROUNDS:
        assessor = User.objects.filter(username=username).first()
        organization = next((m for m in members if m.short_code == code), None)
        if assessor is None or organization is None:
            out(f"  skipped the demo assessment by {username}: not loaded")
            continue
        services.assessment_create(
            actor=assessor,
            alliance=alliance,
            organization=organization,
            assessed_on=day,
            scores=_scores(levels, comments, evidence),
            sharing=Assessment.Sharing.MOVEMENT,
            note="Demo data: illustrative scores, not a real assessment.",
            is_demo=True,
        )
        added += 1
    return added
