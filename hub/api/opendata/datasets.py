"""The datasets of the open-data dumps: which records each publishes, as plain dicts, and what
each CSV column means (the README's tables).

Never included: contact people, partnerships that are private or visible to the movement only, and
anything else not public.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch

from hub.api.endpoints.directory import organization_fields
from hub.api.opendata.jsonld import organization_jsonld, partnership_jsonld
from hub.api.opendata.places import site_url
from hub.core.streaming import pk_pages
from hub.directory.models import AllianceMembership, Organization
from hub.funding.models import Grant, InKindContribution, ValuationRate
from hub.outcomes.models import Figure, MetricDefinition, plain_number
from hub.partnerships.models import Participant, Partnership

CHUNK = 2000


@dataclass(frozen=True)
class Dataset:
    """One kind of record: its rows (plain dicts), CSV columns with meanings, and its JSON-LD."""

    name: str
    title: str
    rows: Callable[[], Iterator[dict[str, Any]]]
    columns: list[tuple[str, str]]
    jsonld: Callable[[dict[str, Any]], dict[str, Any]] | None = None


# --- organizations --------------------------------------------------------------------------------


def organization_rows() -> Iterator[dict[str, Any]]:
    qs = Organization.objects.order_by("pk").prefetch_related(
        Prefetch("alliances", queryset=AllianceMembership.objects.order_by("alliance_id", "pk"))
    )
    for org in pk_pages(qs, CHUNK):
        yield {
            **organization_fields(org),
            "member_of": sorted({m.alliance_id for m in org.alliances.all()}),
            "url": site_url(org.get_absolute_url()),
        }


def membership_rows() -> Iterator[dict[str, Any]]:
    qs = AllianceMembership.objects.order_by("pk")
    for m in pk_pages(qs, CHUNK):
        yield {
            "alliance_id": m.alliance_id,
            "member_id": m.member_id,
            "role": m.role,
            "since": m.since,
            "until": m.until,
        }


# --- partnerships ---------------------------------------------------------------------------------


def public_partnerships():
    """Exactly what an anonymous visitor sees in the registry."""
    return Partnership.objects.visible_to(AnonymousUser())


def partnership_rows() -> Iterator[dict[str, Any]]:
    qs = (
        public_partnerships()
        .order_by("pk")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("role", "pk")),
            "projects",
            "themes",
        )
    )
    for p in pk_pages(qs, CHUNK):
        yield {
            "id": p.pk,
            "title": p.title,
            "description": p.description,
            "lead_id": p.lead_id,
            "goals": list(p.goals),
            "structure": p.structure,
            "direction": p.direction,
            "status": p.status,
            "scope": p.scope,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "projects": sorted(x.code for x in p.projects.all()),
            "themes": sorted(x.name for x in p.themes.all()),
            "participants": [
                {"organization_id": x.organization_id, "role": x.role} for x in p.participants.all()
            ],
            "url": site_url(p.get_absolute_url()),
        }


def participant_rows() -> Iterator[dict[str, Any]]:
    qs = Participant.objects.filter(partnership__in=public_partnerships()).order_by(
        "partnership_id", "role", "pk"
    )
    for x in pk_pages(qs, CHUNK):
        yield {
            "partnership_id": x.partnership_id,
            "organization_id": x.organization_id,
            "role": x.role,
        }


# --- funding --------------------------------------------------------------------------------------


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def contribution_rows() -> Iterator[dict[str, Any]]:
    """Current, non-confidential contributions; a partnership is named only if it is public."""
    public = set(public_partnerships().values_list("pk", flat=True))
    qs = (
        InKindContribution.objects.visible_to(AnonymousUser())
        .current()
        .order_by("pk")
        .select_related("donor_organization")
    )
    for c in pk_pages(qs, CHUNK):
        yield {
            "id": c.pk,
            "receiving_organization_id": c.receiving_organization_id,
            "donor_organization_id": c.donor_organization_id,
            "donor_name": c.donor_name,
            "partnership_id": c.partnership_id if c.partnership_id in public else None,
            "date": c.date,
            "period_end": c.period_end,
            "category": c.category,
            "quantity": _money(c.quantity),
            "unit": c.unit,
            "value": _money(c.value),
            "currency": c.currency,
            "valuation_method": c.valuation_method,
            "description": c.description,
        }


def grant_rows() -> Iterator[dict[str, Any]]:
    public = set(public_partnerships().values_list("pk", flat=True))
    qs = Grant.objects.visible_to(AnonymousUser()).order_by("pk")
    for g in pk_pages(qs, CHUNK):
        yield {
            "id": g.pk,
            "title": g.title,
            "funder_id": g.funder_id,
            "recipient_id": g.recipient_id,
            "partnership_id": g.partnership_id if g.partnership_id in public else None,
            "amount": _money(g.amount),
            "currency": g.currency,
            "restricted": g.restricted,
            "period_start": g.period_start,
            "period_end": g.period_end,
            "status": g.status,
        }


def rate_rows() -> Iterator[dict[str, Any]]:
    for r in pk_pages(ValuationRate.objects.all(), CHUNK):
        yield {
            "id": r.pk,
            "organization_id": r.organization_id,
            "category": r.category,
            "unit": r.unit,
            "amount": _money(r.amount),
            "currency": r.currency,
            "valid_from": r.valid_from,
            "valid_to": r.valid_to,
        }


def definition_rows() -> Iterator[dict[str, Any]]:
    for d in MetricDefinition.objects.order_by("key", "version"):
        yield {
            "key": d.key,
            "version": d.version,
            "name": d.name,
            "method": d.method,
            "exclusions": d.exclusions,
            "unit": d.unit,
            "counted_by": d.key_kind,
            "source_tool": d.source_tool,
            "sources": d.sources,
            "confirmed": d.confirmed,
        }


def figure_rows() -> Iterator[dict[str, Any]]:
    """Figures of the public partnerships; their keys are left out (user names are personal
    data), their number is given."""
    qs = (
        Figure.objects.filter(partnership__in=public_partnerships().values("pk"))
        .select_related("definition")
        .annotate(key_count=Count("keys"))
        .order_by("pk")
    )
    for f in pk_pages(qs, CHUNK):
        yield {
            "id": f.pk,
            "partnership_id": f.partnership_id,
            "metric": f.definition.key,
            "definition_version": f.definition.version,
            "period_start": f.period_start,
            "period_end": f.period_end,
            "value": plain_number(f.value),
            "source": f.source,
            "source_ref": f.source_ref,
            "taken_at": f.taken_at,
            "keys": f.key_count,
        }


DATASETS: list[Dataset] = [
    Dataset(
        "organizations",
        "Organizations: movement organizations and external partners",
        organization_rows,
        [
            ("id", "The hub's id of the organization."),
            ("name", "Name in English or as commonly written."),
            ("local_name", "Name in the local language."),
            ("short_code", "Affiliate code, such as WMAT (movement organizations)."),
            ("kind", "chapter, thematic_organization, user_group, hub, network, wmf, museum, ..."),
            ("movement", "true for Wikimedia movement organizations."),
            ("status", "active or former."),
            ("country", "ISO 3166-1 alpha-2 code."),
            ("city", "City."),
            ("recognized_on", "Recognition date: YYYY, YYYY-MM or YYYY-MM-DD."),
            ("website", "Website."),
            ("wikidata_id", "Wikidata item (Q-id); `sameAs` in the JSON-LD."),
            ("wikidata_labels", "The Wikidata item's labels by language (CSV: `lang: label|...`)."),
            ("ror_id", "ROR id (Research Organization Registry); `sameAs` in the JSON-LD."),
            ("isil", "ISIL (libraries and archives)."),
            ("viaf_id", "VIAF id; `sameAs` in the JSON-LD."),
            ("description", "Short description."),
            ("member_of", "Ids of the alliances and hubs it is a member of."),
            ("url", "Its page in the hub."),
        ],
        organization_jsonld,
    ),
    Dataset(
        "alliance-memberships",
        "Memberships of organizations in alliances and hubs",
        membership_rows,
        [
            ("alliance_id", "Id of the alliance or hub (see organizations)."),
            ("member_id", "Id of the member organization."),
            ("role", "member, steering, fiscal_sponsor, host or observer."),
            ("since", "Member since (YYYY-MM-DD), if known."),
            ("until", "Member until, if it ended."),
        ],
    ),
    Dataset(
        "partnerships",
        "Public partnerships with the 2016 dimensions",
        partnership_rows,
        [
            ("id", "The hub's id of the partnership."),
            ("title", "Title."),
            ("description", "Description."),
            ("lead_id", "Id of the lead movement organization."),
            ("goals", "Any of funding, content, advocacy (separated by | in CSV)."),
            ("structure", "simple or complex."),
            ("direction", "internal (within the movement) or external."),
            ("status", "idea, prospect, active, paused, completed, ended_early, declined."),
            ("scope", "local, national, regional or global."),
            ("start_date", "Start date (YYYY-MM-DD)."),
            ("end_date", "End date (YYYY-MM-DD)."),
            ("projects", "Wikimedia project codes (| in CSV)."),
            ("themes", "Themes (| in CSV)."),
            ("participants", "JSON only: organization_id and role of each participant."),
            ("url", "Its page in the hub."),
        ],
        partnership_jsonld,
    ),
    Dataset(
        "participants",
        "Participants of the public partnerships",
        participant_rows,
        [
            ("partnership_id", "Id of the partnership."),
            ("organization_id", "Id of the organization."),
            ("role", "lead, partner, funder, backbone, host, content_provider, supporter."),
        ],
    ),
    Dataset(
        "inkind-contributions",
        "In-kind contributions (not confidential, not archived)",
        contribution_rows,
        [
            ("id", "The hub's id of the contribution."),
            ("receiving_organization_id", "Id of the movement organization that received it."),
            ("donor_organization_id", "Id of the donor organization, if it is in the directory."),
            ("donor_name", "The donor's name otherwise."),
            ("partnership_id", "Id of the partnership, when that partnership is public."),
            ("date", "Date (YYYY-MM-DD)."),
            ("period_end", "End of the period it covers, if any."),
            ("category", "venue_space, catering, travel_accommodation, staff_time, ..."),
            ("quantity", "Quantity, in `unit`."),
            ("unit", "hours, persons, days, m2_days or items."),
            ("value", "Value as a decimal number."),
            ("currency", "ISO 4217 code of the value."),
            ("valuation_method", "fair_market_value, donor_stated, standard_rate, waived_invoice."),
            ("description", "What was given."),
        ],
    ),
    Dataset(
        "grants",
        "Grants and other cash support (not confidential)",
        grant_rows,
        [
            ("id", "The hub's id of the grant."),
            ("title", "Title."),
            ("funder_id", "Id of the funder."),
            ("recipient_id", "Id of the movement organization receiving it."),
            ("partnership_id", "Id of the partnership, when that partnership is public."),
            ("amount", "Amount as a decimal number."),
            ("currency", "ISO 4217 code."),
            ("restricted", "true when the funds are restricted to a purpose."),
            ("period_start", "Start of the grant period."),
            ("period_end", "End of the grant period."),
            ("status", "prospect, applied, awarded, declined or reported."),
        ],
    ),
    Dataset(
        "valuation-rates",
        "Organizations' valuation rates for in-kind support",
        rate_rows,
        [
            ("id", "The hub's id of the rate."),
            ("organization_id", "Id of the organization."),
            ("category", "Category of support it values."),
            ("unit", "Unit it is per."),
            ("amount", "Amount per unit."),
            ("currency", "ISO 4217 code."),
            ("valid_from", "In force from (YYYY-MM-DD)."),
            ("valid_to", "In force until, if it ended."),
        ],
    ),
    Dataset(
        "outcome-definitions",
        "Metric definitions of outcome figures, every version",
        definition_rows,
        [
            ("key", "The metric, e.g. participants, commons_uploads."),
            ("version", "The definition's version; a changed method is a new version."),
            ("name", "Name (English)."),
            ("method", "How it is measured."),
            ("exclusions", "What is not counted."),
            ("unit", "people, pages, files, items, views or money."),
            (
                "counted_by",
                "The key a figure lists (user, page, file, item, revision); empty: totals.",
            ),
            ("source_tool", "The tool or framework the wording comes from."),
            ("sources", "Addresses of the sources, separated by spaces."),
            ("confirmed", "false when no source confirms the wording."),
        ],
    ),
    Dataset(
        "outcome-figures",
        "Outcome figures of the public partnerships",
        figure_rows,
        [
            ("id", "The hub's id of the figure."),
            ("partnership_id", "Id of the partnership."),
            ("metric", "The metric's key (see outcome-definitions)."),
            ("definition_version", "The version of the definition it was measured with."),
            ("period_start", "Start of the period (YYYY-MM-DD)."),
            ("period_end", "End of the period."),
            ("value", "Value as a decimal number."),
            ("source", "hand, asserted (by the organiser), commons or dashboard."),
            ("source_ref", "The Commons category and wiki, or the Dashboard course."),
            ("taken_at", "When the figure was taken."),
            ("keys", "How many keys (files, participants...) stand behind it."),
        ],
    ),
]
