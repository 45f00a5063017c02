"""Agreements for tests: a partnership with a member organization and a partner, an agreement of
it, and a partnership placed past its formal-agreement step."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from hub.accounts.system import system_actor
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.agreements import services
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.steps.models import Lifecycle, PartnershipProgress, Step, StepVisit
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership


def make_agreement(partnership: Partnership, *, actor=None, **fields: Any) -> Agreement:
    fields.setdefault("kind", Agreement.Kind.MOU)
    return services.agreement_create(
        actor=actor or system_actor(), partnership=partnership, **fields
    )


def partnership_with_partner(lead, **fields: Any) -> tuple[Partnership, Any]:
    partner = OrganizationFactory(name="Museum of Glass", kind="glam")
    return make_partnership(lead=lead, partners=[partner], **fields), partner


def place_past_agreement_step(partnership: Partnership) -> StepVisit:
    """Put the partnership on a two-step lifecycle of its lead (formal agreement, then
    implementation), in the step after the agreement."""
    lifecycle, _ = Lifecycle.objects.get_or_create(
        organization=partnership.lead, preset="eight_steps"
    )
    Step.objects.get_or_create(
        lifecycle=lifecycle,
        key="formal_agreement",
        defaults={"position": 5, "milestone": "agreement"},
    )
    implementation, _ = Step.objects.get_or_create(
        lifecycle=lifecycle, key="implementation", defaults={"position": 6}
    )
    progress, _ = PartnershipProgress.objects.get_or_create(
        partnership=partnership, defaults={"lifecycle": lifecycle}
    )
    progress.visits.filter(left_on__isnull=True).update(left_on=timezone.localdate())
    return StepVisit.objects.create(
        progress=progress, step=implementation, entered_on=timezone.localdate()
    )


def sign_fully(partnership: Partnership, **fields: Any) -> Agreement:
    """A signed MoU whose checklist settles every topic."""
    today = timezone.localdate()
    return make_agreement(
        partnership,
        status=Agreement.Status.SIGNED,
        effective_date=today - datetime.timedelta(days=30),
        checklist={
            topic: {"score": "fully", "note": ""}
            for topic in (
                "roles",
                "decisions",
                "communication",
                "resources",
                "ip_licence",
                "attribution",
                "data_protection",
                "disputes",
                "exit",
            )
        },
        **fields,
    )
