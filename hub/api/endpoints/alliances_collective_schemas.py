"""The shapes of the collective-impact endpoints (hub/api/endpoints/alliances_collective.py):
an alliance's assessments with their scores, and its role map."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field

from hub.alliances.assessments import rubric
from hub.api.schemas import OrganizationRef, Out, ParticipantRole

ItemKey = Literal[rubric.KEYS]  # type: ignore[valid-type]
PartName = Literal["conditions", "preconditions", "backbone"]
SharingName = Literal["draft", "alliance", "movement"]
EvidenceKind = Literal["meeting", "partnership", "grant", "lesson"]


class EvidenceOut(Out):
    kind: EvidenceKind
    id: int
    title: str
    url: str


class ScoreOut(Out):
    item: ItemKey
    part: PartName
    level: int | None = Field(description="1 to 4; null: don't know.")
    comment: str
    evidence: list[EvidenceOut] = Field(description="Only the records you may see.")


class AssessmentOut(Out):
    id: int
    alliance: OrganizationRef
    assessor: str = Field(description="The assessor's name.")
    organization: OrganizationRef = Field(description="The organization assessed for.")
    assessed_on: datetime.date
    sharing: SharingName
    note: str
    scores: list[ScoreOut]
    is_demo: bool
    version: int
    url: str


class AssessmentList(Out):
    items: list[AssessmentOut] = Field(
        description="Every assessment of the alliance you may read, newest first (your own "
        "drafts included)."
    )


class RoleCount(Out):
    role: ParticipantRole
    partnerships: int


class RoleRowOut(Out):
    organization: OrganizationRef
    member: bool = Field(description="A current member of the alliance.")
    roles: list[RoleCount]


class RoleMapOut(Out):
    alliance: OrganizationRef
    partnerships: int = Field(description="The partnerships counted: those you may see.")
    organizations: list[RoleRowOut]
    unplayed: list[ParticipantRole] = Field(description="Roles nobody plays in them.")
