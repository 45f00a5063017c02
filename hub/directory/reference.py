"""Reference data shipped with the hub: the real affiliates, alliances and hubs (docs/data-model.md).

Facts not confirmed by a source are stored with `verified=False` and shown as unverified.
"""

import csv
from pathlib import Path

from django.db import transaction

from hub.accounts.system import system_actor
from hub.directory import services
from hub.directory.models import AllianceMembership, Organization

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fields(row: dict[str, str]) -> dict:
    return {
        "name": row["name"],
        "short_code": row["code"] or None,
        "kind": row["kind"],
        "country": row["country"],
        "status": row["status"],
        "recognized_on": row["recognized_on"],
        "website": row["website"],
        "wikidata_id": row["wikidata"],
        "verified": row["verified"] == "yes",
        "source_note": row["source_note"],
    }


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Create or update the reference organizations and memberships; safe to run again."""
    actor = system_actor()
    counts = {"created": 0, "updated": 0, "memberships": 0}
    for row in _rows("affiliates.csv") + _rows("alliances.csv"):
        fields = _fields(row)
        existing = (
            Organization.objects.filter(short_code=fields["short_code"]).first()
            if fields["short_code"]
            else Organization.objects.filter(name=fields["name"]).first()
        )
        if existing is None:
            services.organization_create(actor=actor, **fields)
            counts["created"] += 1
        elif (
            any(getattr(existing, k) != v for k, v in fields.items() if k != "country")
            or str(existing.country) != fields["country"]
        ):
            services.organization_update(actor=actor, organization=existing, **fields)
            counts["updated"] += 1
    for row in _rows("alliance_members.csv"):
        alliance = Organization.objects.get(name=row["alliance_name"])
        member = Organization.objects.get(short_code=row["member_code"])
        if not AllianceMembership.objects.filter(
            alliance=alliance, member=member, role=row["role"]
        ).exists():
            services.alliance_membership_add(
                actor=actor,
                alliance=alliance,
                member=member,
                role=row["role"],
                verified=row["verified"] == "yes",
            )
            counts["memberships"] += 1
    return counts
