"""Role mapping: which organization plays which role (lead, partner, funder, backbone, host,
content provider, supporter) across the partnerships of an alliance and its members, and which
roles nobody plays ("partnership role mapping followed by brainstorming about roles that have
not yet been created", the 2016 workshop's vision).

Only partnerships the reader may see are counted, so a private partnership adds nothing to the
table, the totals or the CSV of someone outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from hub.alliances.assessments.models import member_ids
from hub.directory.models import Organization
from hub.partnerships.models import Participant, Partnership

ROLES = list(Participant.Role)


@dataclass
class RoleRow:
    organization: Organization
    is_member: bool
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class RoleMap:
    rows: list[RoleRow]
    totals: list[int]
    unplayed: list[Participant.Role]
    partnerships: int

    @property
    def roles(self) -> list[Participant.Role]:
        return ROLES


def role_map(user, alliance: Organization) -> RoleMap:
    """The organization x role counts (partnerships in which it plays the role) for `alliance`:
    every organization taking part in a partnership of the alliance or a current member that
    `user` may see, and every current member (a member that plays no role shows zeros)."""
    members = set(member_ids(alliance))
    scope = Partnership.objects.visible_to(user).with_organization([alliance.pk, *members])
    counted = (
        Participant.objects.filter(partnership__in=scope.values("pk"))
        .values("organization_id", "role")
        .annotate(n=Count("partnership_id", distinct=True))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in counted:
        counts.setdefault(row["organization_id"], {})[row["role"]] = row["n"]
    organizations = Organization.objects.filter(pk__in={*counts, *members}).order_by("name")
    rows = [
        RoleRow(
            organization=org,
            is_member=org.pk in members,
            counts=[counts.get(org.pk, {}).get(role, 0) for role in ROLES],
        )
        for org in organizations
    ]
    rows.sort(key=lambda r: (not r.is_member, -r.total, r.organization.name.casefold()))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(ROLES))]
    unplayed = [role for role, total in zip(ROLES, totals, strict=True) if total == 0]
    return RoleMap(rows=rows, totals=totals, unplayed=unplayed, partnerships=scope.count())
