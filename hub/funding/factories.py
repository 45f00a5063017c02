"""In-kind contributions, rates and grants for tests, made through the services the pages use."""

import datetime
from decimal import Decimal

from hub.accounts.system import system_actor
from hub.directory.factories import OrganizationFactory
from hub.funding.choices import Category
from hub.funding.contributions.models import InKindContribution
from hub.funding.contributions.services import contribution_create
from hub.funding.grants.models import Grant
from hub.funding.grants.services import grant_create
from hub.funding.rates.models import ValuationRate
from hub.funding.rates.services import rate_create


def make_contribution(*, receiving_organization, actor=None, **fields) -> InKindContribution:
    if "donor_organization" not in fields and "donor_name" not in fields:
        fields["donor_organization"] = OrganizationFactory()
    fields.setdefault("date", datetime.date(2024, 5, 4))
    fields.setdefault("category", Category.VENUE_SPACE)
    if "quantity" not in fields:
        fields.setdefault("value", Decimal("100.00"))
        fields.setdefault("currency", "EUR")
    return contribution_create(
        actor=actor or system_actor(), receiving_organization=receiving_organization, **fields
    )


def make_rate(*, organization, actor=None, **fields) -> ValuationRate:
    fields.setdefault("category", Category.VOLUNTEER_TIME)
    fields.setdefault("unit", "hours")
    fields.setdefault("amount", Decimal("20.00"))
    fields.setdefault("currency", "EUR")
    fields.setdefault("valid_from", datetime.date(2020, 1, 1))
    return rate_create(actor=actor or system_actor(), organization=organization, **fields)


def make_grant(*, recipient, actor=None, **fields) -> Grant:
    fields.setdefault("title", "Grant")
    fields.setdefault("funder", OrganizationFactory(kind="funder"))
    fields.setdefault("amount", Decimal("5000.00"))
    fields.setdefault("currency", "EUR")
    return grant_create(actor=actor or system_actor(), recipient=recipient, **fields)
