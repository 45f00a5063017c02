"""In-kind contributions, rates and grants for tests, made through the services the pages use."""

import datetime
from decimal import Decimal

from hub.accounts.system import system_actor
from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.models import Category, Grant, InKindContribution, ValuationRate


def make_contribution(*, receiving_organization, actor=None, **fields) -> InKindContribution:
    if "donor_organization" not in fields and "donor_name" not in fields:
        fields["donor_organization"] = OrganizationFactory()
    fields.setdefault("date", datetime.date(2024, 5, 4))
    fields.setdefault("category", Category.VENUE_SPACE)
    if "quantity" not in fields:
        fields.setdefault("value", Decimal("100.00"))
        fields.setdefault("currency", "EUR")
    return services.contribution_create(
        actor=actor or system_actor(), receiving_organization=receiving_organization, **fields
    )


def make_rate(*, organization, actor=None, **fields) -> ValuationRate:
    fields.setdefault("category", Category.VOLUNTEER_TIME)
    fields.setdefault("unit", "hours")
    fields.setdefault("amount", Decimal("20.00"))
    fields.setdefault("currency", "EUR")
    fields.setdefault("valid_from", datetime.date(2020, 1, 1))
    return services.rate_create(actor=actor or system_actor(), organization=organization, **fields)


def make_grant(*, recipient, actor=None, **fields) -> Grant:
    fields.setdefault("title", "Grant")
    fields.setdefault("funder", OrganizationFactory(kind="funder"))
    fields.setdefault("amount", Decimal("5000.00"))
    fields.setdefault("currency", "EUR")
    return services.grant_create(actor=actor or system_actor(), recipient=recipient, **fields)
