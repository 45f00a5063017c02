"""Alliances and assessments for tests and the matrix, made through the services the pages use."""

from __future__ import annotations

import datetime
from typing import Any, cast

from hub.accounts.system import system_actor
from hub.alliances.assessments import rubric, services
from hub.alliances.assessments.models import Assessment
from hub.directory import services as directory_services
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization


def make_alliance(*, members=(), name: str = "Test Alliance", **fields: Any) -> Organization:
    alliance = cast(
        Organization, OrganizationFactory(name=name, kind=Organization.Kind.NETWORK, **fields)
    )
    for member in members:
        directory_services.alliance_membership_add(
            actor=system_actor(), alliance=alliance, member=member
        )
    return alliance


def levels(value: int | None, **overrides: int | None) -> dict[str, dict[str, Any]]:
    """Scores giving every rubric item `value`, except the items named in `overrides`."""
    return {
        key: {"level": overrides.get(key, value), "comment": "", "evidence": []}
        for key in rubric.KEYS
    }


def make_assessment(
    *, actor, alliance, organization, assessed_on=None, scores=None, **fields: Any
) -> Assessment:
    return services.assessment_create(
        actor=actor,
        alliance=alliance,
        organization=organization,
        assessed_on=assessed_on or datetime.date(2026, 1, 15),
        scores=scores if scores is not None else levels(2),
        **fields,
    )
