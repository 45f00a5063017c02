"""Every write to the registry. Views, the API and imports call these and nothing else."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.bulk import FieldChecks
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.partnerships.models import (
    GOAL_FIELDS,
    Participant,
    Partnership,
    PartnershipLink,
    Theme,
    WikimediaProject,
)

SNAPSHOT_FIELDS = [
    "title",
    "description",
    "lead",
    "structure",
    "direction",
    "direction_override",
    "direction_override_reason",
    "status",
    "scope",
    "start_date",
    "end_date",
    "end_reason",
    "visibility",
]


@dataclass(frozen=True)
class ParticipantSpec:
    organization: Organization
    role: str = Participant.Role.PARTNER


def _snapshot(partnership: Partnership) -> history.Snapshot:
    return snapshot_of(
        partnership,
        participants=(str(p) for p in partnership.participants.select_related("organization")),
        projects=partnership.projects.all(),
        themes=partnership.themes.all(),
        links=partnership.links.all(),
    )


def snapshot_of(
    partnership: Partnership,
    *,
    participants: Iterable[str],
    projects: Iterable[WikimediaProject],
    themes: Iterable[Theme],
    links: Iterable[PartnershipLink],
) -> history.Snapshot:
    """What the history records of a partnership, given its lists (participants as their text):
    read back from the database after a write, or from the rows a bulk create has in hand."""
    return history.snapshot(
        partnership,
        SNAPSHOT_FIELDS,
        goals=[str(label) for label in partnership.get_goals_display()],
        participants=sorted(participants),
        projects=sorted(p.name for p in projects),
        themes=sorted(t.name for t in themes),
        links=[f"{link.label}: {link.url}" for link in links],
    )


def derive_direction(organizations: Iterable[Organization]) -> str:
    """Internal when every participant is a movement organization, external otherwise."""
    if all(org.is_movement for org in organizations):
        return Partnership.Direction.INTERNAL
    return Partnership.Direction.EXTERNAL


def themes_from_names(names: Iterable[str]) -> list[Theme]:
    """The themes of these names, each created when missing (names that differ only in case,
    spacing or punctuation are one theme; a name of punctuation alone is none)."""
    keys = [key for key in map(theme_key, names) if key is not None]
    found = themes_by_slug(dict(keys[::-1]))  # reversed: the first spelling of a slug names it
    return [found[slug] for slug, _name in keys]


def theme_key(raw: str) -> tuple[str, str] | None:
    """(slug, name) of the theme a typed name means, or None when it means none."""
    from django.utils.text import slugify

    name = " ".join(raw.split())[:80]
    if not name:
        return None
    slug = slugify(name, allow_unicode=True)[:80]
    if not slug:
        # Only punctuation, such as the "[]" an empty list once rendered as: not a theme.
        return None
    return slug, name


def themes_by_slug(wanted: dict[str, str]) -> dict[str, Theme]:
    """{slug: theme} for `wanted` ({slug: name}): one query for those there, one insert for each
    one missing."""
    found = {theme.slug: theme for theme in Theme.objects.filter(slug__in=wanted)}
    for slug, name in wanted.items():
        if slug not in found:
            found[slug] = Theme.objects.create(name=name, slug=slug)
    return found


def _edits_for(actor, organization: Organization) -> bool:
    return Organization.objects.editable_by(actor).filter(pk=organization.pk).exists()


def lead_refused() -> PermissionDenied:
    """The refusal of a new partnership whose lead the actor does not edit for."""
    return PermissionDenied(_("You can start partnerships only for organizations you edit for."))


def _check_participants(lead: Organization, participants: Sequence[ParticipantSpec]) -> None:
    orgs = [spec.organization for spec in participants]
    if len({org.pk for org in orgs}) != len(orgs):
        raise ValidationError(
            {"participants": _("An organization can take part only once in a partnership.")}
        )
    if any(spec.role == Participant.Role.LEAD for spec in participants):
        raise ValidationError(
            {"participants": _("The lead organization is set in the 'Lead organization' field.")}
        )
    if lead.pk in {org.pk for org in orgs}:
        raise ValidationError({"participants": _("%(org)s is already the lead.") % {"org": lead}})
    if not participants:
        raise ValidationError(
            {"participants": _("Add at least one participating organization besides the lead.")}
        )


def link_errors(link: PartnershipLink) -> dict[str, list[str]]:
    """What the model refuses in one link ({field: messages}; empty when it is valid): the API
    names each wrong link with this before anything is written."""
    try:
        link.full_clean(exclude=["partnership"], validate_unique=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _checked_links(
    partnership: Partnership, links: Sequence[tuple[str, str]]
) -> list[PartnershipLink]:
    """The links as rows, each checked as the model checks it (http or https addresses only);
    a wrong one is an error of `links` that names it by its number."""
    rows, problems = [], []
    for number, (label, url) in enumerate(links, start=1):
        link = PartnershipLink(partnership=partnership, label=label or url, url=url)
        for name, messages in link_errors(link).items():
            problems.append(
                _("Link %(n)s, %(field)s: %(error)s")
                % {
                    "n": number,
                    "field": getattr(PartnershipLink._meta.get_field(name), "verbose_name", name),
                    "error": " ".join(messages),
                }
            )
        rows.append(link)
    if problems:
        raise ValidationError({"links": problems})
    return rows


# What full_clean() leaves out: the lead is checked by the rules above it, the lists are written
# after the row.
CLEAN_EXCLUDE = ["lead", "projects", "themes"]


def prepare(
    partnership: Partnership,
    *,
    lead: Organization,
    participants: Sequence[ParticipantSpec],
    goals: Iterable[str],
    links: Sequence[tuple[str, str]] | None,
    fields: dict[str, Any],
    checks: FieldChecks | None = None,
    relate: Callable[[Any, str, Any], None] = setattr,
) -> list[PartnershipLink] | None:
    """Check the input and set it on `partnership`, writing nothing; returns the checked links
    (None when `links` is None). Every write of a partnership's fields comes through here, one
    at a time (create, update) or many (hub.partnerships.bulk). Raises ValidationError keyed
    by field.

    `checks` and `relate` (for many rows) validate the fields as full_clean() would, prepared
    once, and set the lead with its checks made once per organization. They leave out
    full_clean()'s constraint checks, a query each: the goal rule below and clean()'s date rule
    are those constraints, and the database still holds them."""
    if not lead.is_movement:
        raise ValidationError({"lead": _("The lead must be a movement organization.")})
    _check_participants(lead, participants)
    new_links = None if links is None else _checked_links(partnership, links)
    goals = set(goals)
    if not goals & GOAL_FIELDS.keys():
        raise ValidationError({"goals": _("Choose at least one goal.")})
    for goal, field in GOAL_FIELDS.items():
        setattr(partnership, field, goal in goals)
    for name, value in fields.items():
        setattr(partnership, name, value)
    relate(partnership, "lead", lead)
    if not partnership.direction_override:
        partnership.direction_override_reason = ""
    partnership.direction = partnership.direction_override or derive_direction(
        [lead, *(spec.organization for spec in participants)]
    )
    if checks is None:
        partnership.full_clean(exclude=CLEAN_EXCLUDE)
        return new_links
    errors: dict[str, Any] = dict(checks.check(partnership))
    try:
        partnership.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return new_links


def _apply(
    partnership: Partnership,
    *,
    lead: Organization,
    participants: Sequence[ParticipantSpec],
    goals: Iterable[str],
    projects: Iterable[WikimediaProject] | None,
    themes: Iterable[Theme] | None,
    links: Sequence[tuple[str, str]] | None,
    fields: dict[str, Any],
) -> None:
    new_links = prepare(
        partnership, lead=lead, participants=participants, goals=goals, links=links, fields=fields
    )
    partnership.save()

    wanted = {spec.organization.pk: spec.role for spec in participants}
    wanted[lead.pk] = Participant.Role.LEAD
    existing = {p.organization_id: p for p in partnership.participants.all()}
    # The old lead row goes first so the one-lead constraint holds at every step.
    for org_id, participant in existing.items():
        if org_id not in wanted or wanted[org_id] != participant.role:
            participant.delete()
    for org_id, role in wanted.items():
        current = existing.get(org_id)
        if current is None or current.role != role:
            Participant.objects.create(partnership=partnership, organization_id=org_id, role=role)
    if projects is not None:
        partnership.projects.set(projects)
    if themes is not None:
        partnership.themes.set(themes)
    if new_links is not None:
        partnership.links.all().delete()
        PartnershipLink.objects.bulk_create(new_links)


@transaction.atomic
def partnership_create(
    *,
    actor,
    title: str,
    lead: Organization,
    participants: Sequence[ParticipantSpec],
    goals: Iterable[str],
    structure: str = Partnership.Structure.SIMPLE,
    status: str = Partnership.Status.ACTIVE,
    scope: str = Partnership.Scope.LOCAL,
    visibility: str = "public",
    description: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    direction_override: str = "",
    direction_override_reason: str = "",
    projects: Iterable[WikimediaProject] = (),
    themes: Iterable[Theme] = (),
    links: Sequence[tuple[str, str]] = (),
) -> Partnership:
    """Create a partnership led by `lead`; the actor must edit for the lead (or be staff)."""
    if not _edits_for(actor, lead):
        raise lead_refused()
    partnership = Partnership()
    _apply(
        partnership,
        lead=lead,
        participants=participants,
        goals=goals,
        projects=projects,
        themes=themes,
        links=links,
        fields={
            "title": title,
            "description": description,
            "structure": structure,
            "status": status,
            "scope": scope,
            "visibility": visibility,
            "start_date": start_date,
            "end_date": end_date,
            "direction_override": direction_override,
            "direction_override_reason": direction_override_reason,
        },
    )
    history.record(
        actor=actor,
        instance=partnership,
        action=HistoryEntry.Action.CREATE,
        after=_snapshot(partnership),
    )
    search.index(partnership)
    return partnership


def _lock_for_edit(actor, partnership: Partnership, expected_version: int | None) -> Partnership:
    return lock_for_edit(
        Partnership.objects.editable_by(actor),
        partnership.pk,
        expected_version,
        refusal=_("You cannot edit this partnership."),
    )


@transaction.atomic
def partnership_update(
    *,
    actor,
    partnership: Partnership,
    expected_version: int | None = None,
    lead: Organization | None = None,
    participants: Sequence[ParticipantSpec] | None = None,
    goals: Iterable[str] | None = None,
    projects: Iterable[WikimediaProject] | None = None,
    themes: Iterable[Theme] | None = None,
    links: Sequence[tuple[str, str]] | None = None,
    **fields: Any,
) -> Partnership:
    """Change a partnership; arguments left out keep their values. Checks the version if given."""
    allowed = set(SNAPSHOT_FIELDS) - {"lead", "direction"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    partnership = _lock_for_edit(actor, partnership, expected_version)
    before = _snapshot(partnership)
    new_lead = lead or partnership.lead
    if new_lead.pk != partnership.lead_id and not _edits_for(actor, new_lead):
        raise ValidationError(
            {"lead": _("You can hand the lead only to an organization you edit for.")}
        )
    if participants is None:
        participants = [
            ParticipantSpec(p.organization, p.role)
            for p in partnership.participants.select_related("organization")
            if p.role != Participant.Role.LEAD and p.organization_id != new_lead.pk
        ]
    _apply(
        partnership,
        lead=new_lead,
        participants=participants,
        goals=partnership.goals if goals is None else goals,
        projects=projects,
        themes=themes,
        links=links,
        fields=fields,
    )
    save_change(actor, partnership, before, _snapshot(partnership))
    search.index(partnership)
    return partnership


@transaction.atomic
def partnership_end(
    *,
    actor,
    partnership: Partnership,
    status: str = Partnership.Status.COMPLETED,
    end_date: datetime.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Partnership:
    """End a partnership (completed, ended early or declined). It stays in the registry."""
    if status not in Partnership.END_STATUSES:
        raise ValidationError({"status": _("Choose how the partnership ended.")})
    partnership = _lock_for_edit(actor, partnership, expected_version)
    before = _snapshot(partnership)
    partnership.status = status
    partnership.end_date = end_date or partnership.end_date or timezone.localdate()
    partnership.end_reason = reason
    partnership.full_clean(exclude=["lead", "projects", "themes"])
    partnership.version += 1
    partnership.save()
    history.record(
        actor=actor,
        instance=partnership,
        action=HistoryEntry.Action.END,
        before=before,
        after=_snapshot(partnership),
    )
    search.index(partnership)
    return partnership
