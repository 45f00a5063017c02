"""Partnerships for tests, made through the same service the pages use."""

from hub.accounts.system import system_actor
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships import services
from hub.partnerships.models import Partnership


def make_partnership(*, lead=None, partners=None, actor=None, **fields) -> Partnership:
    lead = lead or AffiliateFactory()
    partners = partners if partners is not None else [OrganizationFactory()]
    fields.setdefault("title", f"Partnership of {lead.name}")
    fields.setdefault("goals", ["content"])
    return services.partnership_create(
        actor=actor or system_actor(),
        lead=lead,
        participants=[
            p if isinstance(p, services.ParticipantSpec) else services.ParticipantSpec(p)
            for p in partners
        ],
        **fields,
    )
