"""Demo resources: the partnering tools named in the hub's reference notes
(../shared/reference/partnering.md §1), each with the address the notes give. Their licences are
not stated in the notes, so they stay "not stated"; each is marked as demo data. Kept by the
Wikimedia Foundation's row of the demo directory, as the hub's own demo holder, not as a claim
that the Foundation shared them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from hub.accounts.system import system_actor
from hub.directory.models import Organization
from hub.knowledge.resources import services
from hub.knowledge.resources.models import Licence, Resource

SOURCE = "Named in the hub's reference notes on partnering (demo data)."

RESOURCES: list[dict[str, Any]] = [
    {
        "title": "Partnering Agreement Scorecard (Pfisterer et al. 2014)",
        "kind": Resource.Kind.GUIDE,
        "url": "https://repub.eur.nl/pub/77616",
        "description": "Rates each ingredient of a partnering agreement (who, why, what...) as "
        "not relevant, not in place, partially or fully in place, with comments. Use it to "
        "draft an agreement or to review one.",
        "steps": ["formal_agreement", "scoping_building"],
    },
    {
        "title": "Partnering agreement template (GNDR)",
        "kind": Resource.Kind.TEMPLATE,
        "url": "https://www.gndr.org/resource/collaboration/partnering-agreement-template/",
        "description": "Three layers: a non-binding partnering agreement, legally binding "
        "agreements carrying the money, and a work plan that iterates.",
        "steps": ["formal_agreement", "scoping_building"],
    },
    {
        "title": "Partnering Toolbook tools (The Partnering Initiative)",
        "kind": Resource.Kind.LINK,
        "url": "https://www.nccmt.ca/knowledge-repositories/search/134",
        "description": "Partner assessment, stakeholder mapping, a sample agreement, a "
        "partnership review template and a case study template.",
        "steps": ["identifying_partners", "scoping_building", "evaluation", "reviewing_revising"],
    },
]


@transaction.atomic
def load_demo(out=print) -> int:
    """Add the demo resources not there yet (by title); returns how many were added."""
    holder = Organization.objects.filter(kind=Organization.Kind.WMF).order_by("pk").first()
    if holder is None:
        out("  skipped the demo resources: the Wikimedia Foundation is not loaded")
        return 0
    review_by = timezone.localdate() + datetime.timedelta(days=365)
    created = 0
    for spec in RESOURCES:
        if Resource.objects.filter(title=spec["title"], is_demo=True).exists():
            continue
        spec = dict(spec)
        spec["description"] = f"{spec['description']}\n\n{SOURCE}"
        services.resource_create(
            actor=system_actor(),
            organization=holder,
            licence=Licence.NOT_STATED,
            review_by=review_by,
            is_demo=True,
            **spec,
        )
        created += 1
    return created
