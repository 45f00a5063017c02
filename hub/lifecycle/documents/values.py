"""What a template is filled with: a partnership's record (and, optionally, one of its agreements),
as the generating user may see it, written out in the document's language.

Every value is text already formatted (dates in the language's style, choices by their translated
label), so a generated document stores exactly what it was filled with and regenerating it gives
the same bytes whatever has changed since. `SCHEMA` is the list of names a template may use (the
placeholders of docs/lifecycle.md's "Documents" section).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hub.directory.models import Organization
from hub.funding.contributions.models import InKindContribution
from hub.lifecycle.agreements.models import Agreement, ChecklistItem
from hub.lifecycle.documents.engine.syntax import Schema
from hub.partnerships.models import Participant, Partnership

PARTY_FIELDS = frozenset(
    {"name", "address", "signatory", "signatory_role", "role", "signed_on", "executing_unit"}
)
SCHEMA = Schema(
    scalars=frozenset(
        {
            "today",
            *(
                f"partnership.{f}"
                for f in (
                    "title",
                    "description",
                    "goals",
                    "start_date",
                    "end_date",
                    "status",
                    "scope",
                    "structure",
                    "themes",
                    "projects",
                )
            ),
            *(f"{who}.{f}" for who in ("lead", "partner") for f in PARTY_FIELDS),
            *(
                f"agreement.{f}"
                for f in (
                    "title",
                    "kind",
                    "status",
                    "effective_date",
                    "end_date",
                    "renewal_date",
                    "licence",
                    "vrt_ticket",
                )
            ),
        }
    ),
    lists={
        "parties": PARTY_FIELDS,
        "goals": frozenset({"name"}),
        "dimensions": frozenset({"name", "value"}),
        "clauses": frozenset({"topic", "score", "note"}),
        "commitments": frozenset({"donor", "category", "description", "value", "date"}),
    },
)
DATE_FORMATS = {"en": "j F Y", "de": "j. F Y", "fr": "j F Y", "es": r"j \d\e F \d\e Y"}


def format_date(value: datetime.date | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return formats.date_format(value, DATE_FORMATS.get(language, "DATE_FORMAT"))


def may_see_details(user, partnership: Partnership, agreement: Agreement | None = None) -> bool:
    """Whether `user` sees an agreement's details (parties' signatories and addresses, the
    checklist): staff, members of a participant, or anyone when the agreement's details are public."""
    if agreement is not None and agreement.details_public:
        return True
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Participant.objects.filter(
        partnership=partnership, organization__in=Organization.objects.member_of(user)
    ).exists()


def sample_values() -> dict[str, Any]:
    """Values for every name of the schema, to test-render an uploaded template."""
    values: dict[str, Any] = {}
    for name in SCHEMA.scalars:
        head, field = name.split(".", 1) if "." in name else (name, "")
        if field:
            values.setdefault(head, {})[field] = f"Sample {field}"
        else:
            values[head] = f"Sample {head}"
    for name, fields in SCHEMA.lists.items():
        values[name] = [{f: f"Sample {f} {n}" for f in fields} for n in (1, 2)]
    return values


def document_values(
    *, user, partnership: Partnership, agreement: Agreement | None, language: str
) -> dict[str, Any]:
    """The values for `partnership` (and `agreement`, which must be one of its own) in `language`."""
    with translation.override(language):
        return _values(user, partnership, agreement, language)


def _values(
    user, partnership: Partnership, agreement: Agreement | None, language: str
) -> dict[str, Any]:
    details = may_see_details(user, partnership, agreement)
    parties = _parties(partnership, agreement if details else None, language)
    lead = next(
        (p for p in parties if p["_org"] == partnership.lead_id), parties[0] if parties else {}
    )
    partner = next((p for p in parties if p is not lead), {})
    goals = [str(g) for g in partnership.get_goals_display()]
    themes = ", ".join(t.name for t in partnership.themes.all())
    projects = ", ".join(p.name for p in partnership.projects.all())
    dimensions = [
        {"name": str(name).capitalize(), "value": str(value)}
        for name, value in (
            (_("structure"), partnership.get_structure_display()),
            (_("direction"), partnership.get_direction_display()),
            (_("scope"), partnership.get_scope_display()),
        )
    ]
    values: dict[str, Any] = {
        "today": format_date(timezone.localdate(), language),
        "partnership": {
            "title": partnership.title,
            "description": partnership.description,
            "goals": ", ".join(goals),
            "start_date": format_date(partnership.start_date, language),
            "end_date": format_date(partnership.end_date, language),
            "status": str(partnership.get_status_display()),
            "scope": str(partnership.get_scope_display()),
            "structure": str(partnership.get_structure_display()),
            "themes": themes,
            "projects": projects,
        },
        "goals": [{"name": g} for g in goals],
        "dimensions": dimensions,
        "parties": [_public(p) for p in parties],
        "lead": _public(lead),
        "partner": _public(partner),
        "agreement": _agreement(agreement, language),
        "clauses": _clauses(agreement) if details and agreement else [],
        "commitments": _commitments(user, partnership, language),
    }
    return values


def _public(party: dict[str, Any]) -> dict[str, str]:
    return {field: party.get(field, "") for field in sorted(PARTY_FIELDS)}


def _parties(
    partnership: Partnership, agreement: Agreement | None, language: str
) -> list[dict[str, Any]]:
    roles = {
        p.organization_id: str(p.get_role_display())
        for p in partnership.participants.select_related("organization")
    }
    if agreement is not None and agreement.parties.exists():
        return [
            {
                "_org": party.organization_id,
                "name": party.organization.name,
                "address": party.address,
                "signatory": party.signatory_name,
                "signatory_role": party.signatory_role,
                "role": roles.get(party.organization_id, ""),
                "signed_on": format_date(party.signed_on, language),
                "executing_unit": party.executing_unit,
            }
            for party in agreement.parties.select_related("organization")
        ]
    participants = sorted(
        partnership.participants.select_related("organization"),
        key=lambda p: (p.organization_id != partnership.lead_id, p.organization.name),
    )
    return [
        {"_org": p.organization_id, "name": p.organization.name, "role": roles[p.organization_id]}
        for p in participants
    ]


def _agreement(agreement: Agreement | None, language: str) -> dict[str, str]:
    if agreement is None:
        return dict.fromkeys(
            (
                "title",
                "kind",
                "status",
                "effective_date",
                "end_date",
                "renewal_date",
                "licence",
                "vrt_ticket",
            ),
            "",
        )
    return {
        "title": str(agreement),
        "kind": str(agreement.get_kind_display()),
        "status": str(agreement.get_status_display()),
        "effective_date": format_date(agreement.effective_date, language),
        "end_date": format_date(agreement.end_date, language),
        "renewal_date": format_date(agreement.renewal_date, language),
        "licence": str(agreement.get_licence_display()) if agreement.licence else "",
        "vrt_ticket": agreement.vrt_ticket,
    }


def _clauses(agreement: Agreement) -> list[dict[str, str]]:
    agreed = (ChecklistItem.Score.PARTLY, ChecklistItem.Score.FULLY)
    return [
        {
            "topic": str(item.get_topic_display()),
            "score": str(item.get_score_display()),
            "note": item.note,
        }
        for item in agreement.checklist.filter(score__in=agreed)
    ]


def _commitments(user, partnership: Partnership, language: str) -> list[dict[str, str]]:
    rows = (
        InKindContribution.objects.visible_to(user)
        .filter(Q(partnership=partnership), archived=False)
        .select_related("donor_organization")
        .order_by("date", "pk")
    )
    with translation.override(language):
        return [
            {
                "donor": row.donor_label,
                "category": str(row.get_category_display()),
                "description": row.description,
                "value": f"{formats.number_format(row.value, 2, use_l10n=True)} {row.currency}",
                "date": format_date(row.date, language),
            }
            for row in rows
        ]
