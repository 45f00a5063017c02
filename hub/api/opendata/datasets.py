"""Open-data dumps (C12): every public record as CSV, JSON and JSON-LD, under CC0.

CSV cells are formula-neutralized (hub.core.formulas); JSON and JSON-LD keep the text as it is.
Never included: contact people, partnerships that are private or visible to the movement only, and
anything else not public. Files are written to a temporary folder and moved into place, so a reader
never sees a half-written dump.
"""

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from hub.api.endpoints.directory import organization_fields
from hub.core import uploads
from hub.core.formulas import neutralize, safe_cell
from hub.core.weburl import is_web_url
from hub.directory.models import AllianceMembership, Organization
from hub.funding.models import Grant, InKindContribution, ValuationRate
from hub.partnerships.models import Participant, Partnership

WIKIDATA_ENTITY = "https://www.wikidata.org/entity/"
CHUNK = 2000

# schema.org types for the directory's kinds (Organization where schema.org has nothing closer).
SCHEMA_TYPES = {
    Organization.Kind.LIBRARY: "Library",
    Organization.Kind.ARCHIVE: "ArchiveOrganization",
    Organization.Kind.UNIVERSITY: "CollegeOrUniversity",
    Organization.Kind.SCHOOL: "School",
    Organization.Kind.GOVERNMENT: "GovernmentOrganization",
    Organization.Kind.NGO: "NGO",
    Organization.Kind.COMPANY: "Corporation",
    Organization.Kind.FUNDER: "FundingAgency",
    Organization.Kind.MEDIA: "NewsMediaOrganization",
}


def default_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "open-data"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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
    for org in qs.iterator(chunk_size=CHUNK):
        yield {
            **organization_fields(org),
            "member_of": sorted({m.alliance_id for m in org.alliances.all()}),
            "url": site_url(org.get_absolute_url()),
        }


def organization_jsonld(row: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": row["url"],
        "@type": SCHEMA_TYPES.get(row["kind"], "Organization"),
        "identifier": row["id"],
        "name": row["name"],
        "additionalType": row["kind"],
    }
    if row["local_name"]:
        node["alternateName"] = row["local_name"]
    if row["short_code"]:
        node["alternateName"] = [*filter(None, [row["local_name"], row["short_code"]])]
    if row["description"]:
        node["description"] = row["description"]
    if row["country"] or row["city"]:
        node["address"] = {
            "@type": "PostalAddress",
            **({"addressCountry": row["country"]} if row["country"] else {}),
            **({"addressLocality": row["city"]} if row["city"] else {}),
        }
    if is_web_url(row["website"]):
        # A consumer makes a link of schema.org's url: only an http(s) address becomes one.
        node["url"] = row["website"]
    if row["wikidata_id"]:
        node["sameAs"] = WIKIDATA_ENTITY + row["wikidata_id"]
    if row["recognized_on"]:
        node["foundingDate"] = row["recognized_on"]
    if row["member_of"]:
        node["memberOf"] = [{"@id": site_url(f"/organizations/{pk}/")} for pk in row["member_of"]]
    return node


def membership_rows() -> Iterator[dict[str, Any]]:
    qs = AllianceMembership.objects.order_by("pk")
    for m in qs.iterator(chunk_size=CHUNK):
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
    for p in qs.iterator(chunk_size=CHUNK):
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


def partnership_jsonld(row: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": row["url"],
        "@type": "Project",
        "identifier": row["id"],
        "name": row["title"],
        "member": [
            {
                "@type": "OrganizationRole",
                "roleName": x["role"],
                "member": {"@id": site_url(f"/organizations/{x['organization_id']}/")},
            }
            for x in row["participants"]
        ],
        "additionalProperty": [
            {"@type": "PropertyValue", "name": name, "value": row[name]}
            for name in ("goals", "structure", "direction", "status", "scope")
        ],
    }
    if row["description"]:
        node["description"] = row["description"]
    if row["start_date"]:
        node["foundingDate"] = row["start_date"]
    if row["end_date"]:
        node["dissolutionDate"] = row["end_date"]
    if row["themes"]:
        node["keywords"] = row["themes"]
    return node


def participant_rows() -> Iterator[dict[str, Any]]:
    qs = Participant.objects.filter(partnership__in=public_partnerships()).order_by(
        "partnership_id", "role", "pk"
    )
    for x in qs.iterator(chunk_size=CHUNK):
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
    for c in qs.iterator(chunk_size=CHUNK):
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
    for g in qs.iterator(chunk_size=CHUNK):
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
    for r in ValuationRate.objects.order_by("pk").iterator(chunk_size=CHUNK):
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
]


def _csv_value(value: Any) -> Any:
    """A CSV cell; text neutralized as in every spreadsheet the hub writes (the JSON stays raw)."""
    if isinstance(value, list):
        return neutralize("|".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return safe_cell(value)


def _write_dataset(folder: Path, dataset: Dataset) -> dict[str, Any]:
    names = [name for name, _meaning in dataset.columns]
    csv_names = [n for n in names if n != "participants"]
    count = 0
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    files = [f"{dataset.name}.csv", f"{dataset.name}.json"]
    with (
        open(folder / files[0], "w", newline="", encoding="utf-8") as csv_file,
        open(folder / files[1], "w", encoding="utf-8") as json_file,
    ):
        jsonld_file = None
        if dataset.jsonld is not None:
            files.append(f"{dataset.name}.jsonld")
            jsonld_file = open(folder / files[2], "w", encoding="utf-8")  # noqa: SIM115
            jsonld_file.write('{"@context": "https://schema.org", "@graph": [\n')
        writer = csv.writer(csv_file)
        writer.writerow(csv_names)
        json_file.write("[\n")
        try:
            for row in dataset.rows():
                prefix = ",\n" if count else ""
                writer.writerow([_csv_value(row[n]) for n in csv_names])
                json_file.write(prefix + encoder.encode(row))
                if jsonld_file is not None and dataset.jsonld is not None:
                    jsonld_file.write(prefix + encoder.encode(dataset.jsonld(row)))
                count += 1
        finally:
            json_file.write("\n]\n")
            if jsonld_file is not None:
                jsonld_file.write("\n]}\n")
                jsonld_file.close()
    return {"name": dataset.name, "title": dataset.title, "count": count, "files": files}


LICENCE = """The data in this folder is dedicated to the public domain under Creative Commons CC0 1.0
Universal (https://creativecommons.org/publicdomain/zero/1.0/). To the extent possible under law,
the Partnership Hub's operators waive all copyright and related rights to it. You may copy, modify,
distribute and use it, even commercially, without asking permission. Credit is welcome, not required.
"""


def _readme(manifest: dict[str, Any], datasets: Iterable[Dataset]) -> str:
    lines = [
        "# Partnership Hub open data",
        "",
        f"Generated {manifest['generated_at']} from {settings.SITE_URL}.",
        "",
        "Every public record of the hub, as CSV (UTF-8, comma separated, header row), JSON (an array of",
        "objects) and, where it fits, JSON-LD (schema.org; organizations carry their Wikidata item as",
        "`sameAs`). Contact people, partnerships visible only to the movement or to their participants,",
        "and confidential contributions are never included.",
        "",
        "## Licence",
        "",
        LICENCE.strip(),
        "",
    ]
    counts = {d["name"]: d["count"] for d in manifest["datasets"]}
    for dataset in datasets:
        lines += [
            f"## {dataset.name}",
            "",
            f"{dataset.title} ({counts[dataset.name]} records).",
            "",
        ]
        lines += ["| field | meaning |", "|---|---|"]
        lines += [f"| `{name}` | {meaning} |" for name, meaning in dataset.columns]
        lines.append("")
    return "\n".join(lines)


def build(directory: Path | None = None) -> dict[str, Any]:
    """Write the dumps into `directory` (MEDIA_ROOT/open-data by default); return the manifest."""
    directory = Path(directory or default_dir())
    directory.mkdir(parents=True, exist_ok=True)
    datasets = DATASETS
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=directory))
    try:
        manifest: dict[str, Any] = {
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "licence": "CC0-1.0",
            "datasets": [_write_dataset(work, dataset) for dataset in datasets],
        }
        (work / "README.md").write_text(_readme(manifest, datasets), encoding="utf-8")
        (work / "LICENCE.txt").write_text(LICENCE, encoding="utf-8")
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for item in sorted(work.iterdir(), key=lambda p: p.name == "manifest.json"):
            os.replace(item, directory / item.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def withdraw(values: list[str]) -> int:
    """After an erasure: the published files that name one of `values` stop being served (they
    are removed once the erasure is committed) and a rebuild from the redacted records is queued.
    Returns how many files name them."""
    folder = default_dir()
    named = [
        folder / name
        for name in sorted(published_files(read_manifest()))
        if uploads.path_mentions(folder / name, values)
    ]
    if named:
        transaction.on_commit(lambda: _replace(named))
    return len(named)


def _replace(paths: list[Path]) -> None:
    from hub.api.tasks import rebuild_open_data  # the task module imports this one

    for path in paths:
        path.unlink(missing_ok=True)
    rebuild_open_data.enqueue()


def read_manifest(directory: Path | None = None) -> dict[str, Any] | None:
    path = Path(directory or default_dir()) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def published_files(manifest: dict[str, Any] | None) -> set[str]:
    if not manifest:
        return set()
    names = {"README.md", "LICENCE.txt", "manifest.json"}
    for dataset in manifest.get("datasets", []):
        names.update(dataset.get("files", []))
    return names
