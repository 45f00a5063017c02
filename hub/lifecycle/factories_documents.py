"""Agreements, templates and documents for the documents tests. Agreements are made with the ORM
here (the agreements sub-package's services are written alongside); templates and documents go
through the documents services, as the pages do."""

from __future__ import annotations

import datetime

from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.lifecycle.agreements.models import Agreement, AgreementParty, ChecklistItem
from hub.lifecycle.documents import services
from hub.lifecycle.documents.models import DocumentTemplate, TemplateVersion
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

WIKITEXT = (
    "== {{ partnership.title }} ==\n{% for party in parties %}\n* {{ party.name }}\n{% endfor %}\n"
)


def make_documented_partnership(*, lead=None, partner=None, **fields) -> Partnership:
    """A partnership between `lead` (an affiliate) and `partner`, with goals and dates."""
    lead = lead or AffiliateFactory()
    partner = partner or OrganizationFactory(name="Smith & <Sons>")
    fields.setdefault("title", "Archive photographs for Wikimedia Commons")
    fields.setdefault("goals", ["content", "advocacy"])
    fields.setdefault("start_date", datetime.date(2026, 3, 1))
    fields.setdefault("end_date", datetime.date(2027, 2, 28))
    fields.setdefault("description", "Digitize and release 5,000 photographs.")
    return make_partnership(lead=lead, partners=[partner], **fields)


def make_agreement(partnership: Partnership, **fields) -> Agreement:
    """A signed memorandum with both parties' signatories and two agreed clauses."""
    fields.setdefault("kind", Agreement.Kind.MOU)
    fields.setdefault("status", Agreement.Status.SIGNED)
    fields.setdefault("title", "Memorandum on the photo archive")
    fields.setdefault("effective_date", datetime.date(2026, 4, 1))
    fields.setdefault("end_date", datetime.date(2027, 3, 31))
    fields.setdefault("licence", Agreement.Licence.CC_BY_SA)
    agreement = Agreement.objects.create(partnership=partnership, **fields)
    organizations = [partnership.lead] + [
        p.organization for p in partnership.participants.exclude(organization=partnership.lead)
    ]
    people = [("Erika Mustermann", "Executive director"), ("John Smith", "Head of archive")]
    for position, (organization, (name, role)) in enumerate(
        zip(organizations, people, strict=False)
    ):
        AgreementParty.objects.create(
            agreement=agreement,
            organization=organization,
            address=f"{organization.name}\nMain Street {position + 1}\n10115 Berlin",
            signatory_name=name,
            signatory_role=role,
            signed_on=datetime.date(2026, 3, 20 + position),
            position=position,
        )
    ChecklistItem.objects.create(
        agreement=agreement, topic="ip_licence", score="fully", note="All scans under CC BY-SA 4.0."
    )
    ChecklistItem.objects.create(
        agreement=agreement,
        topic="exit",
        score="partly",
        note="Either side may leave with 3 months' notice.",
    )
    ChecklistItem.objects.create(
        agreement=agreement, topic="disputes", score="not_in_place", note="Not discussed."
    )
    return agreement


def make_template(*, actor, organization, data: bytes | None = None, **fields) -> TemplateVersion:
    fields.setdefault("kind", "letter_of_intent")
    fields.setdefault("language", "en")
    fields.setdefault("name", "Our letter")
    return services.template_upload(
        actor=actor,
        organization=organization,
        data=data if data is not None else WIKITEXT.encode(),
        original_name="letter.wiki",
        **fields,
    )


def shipped(kind: str = "letter_of_intent", language: str = "en") -> DocumentTemplate:
    from hub.lifecycle.documents.shipped.registry import ensure_shipped_templates

    ensure_shipped_templates()
    return DocumentTemplate.objects.get(organization=None, kind=kind, language=language)
