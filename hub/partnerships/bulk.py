"""Many new partnerships at once, all or none: what the spreadsheet import writes with.

Each row is checked by the same `services.prepare` as `partnership_create` (with the field
checks prepared once, hub.core.bulk.FieldChecks), and the rows are written in batches: the
partnerships with one bulk_create (their ids are needed), then their participants, projects,
themes, links and history entries with one insert each.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import bulk, figcache, history, search
from hub.core.bulk import RowError
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.partnerships import services
from hub.partnerships.models import (
    Participant,
    Partnership,
    PartnershipLink,
    Theme,
    WikimediaProject,
)
from hub.partnerships.services import ParticipantSpec


@dataclass(frozen=True)
class PartnershipRow:
    """One new partnership's values, as partnership_create takes them."""

    title: str
    lead: Organization
    participants: tuple[ParticipantSpec, ...]
    goals: frozenset[str]  # Goal codes
    structure: str = Partnership.Structure.SIMPLE
    status: str = Partnership.Status.ACTIVE
    scope: str = Partnership.Scope.LOCAL
    visibility: str = "public"
    description: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    projects: tuple[str, ...] = ()  # WikimediaProject codes
    themes: tuple[str, ...] = ()  # theme names (created when missing, once each)
    links: tuple[tuple[str, str], ...] = ()  # (label, url)


@dataclass
class _Checked:
    """A row as checked: the unsaved partnership with its fields set, and its lists as rows."""

    row: PartnershipRow
    partnership: Partnership
    links: list[PartnershipLink]
    projects: list[WikimediaProject]
    themes: list[tuple[str, str]]  # (slug, name)


class Checker:
    """Checks rows as partnership_create would, with what it needs read once (which organizations
    the actor edits for, the projects by code). Build one per import."""

    def __init__(self, actor: Any) -> None:
        self.editable = set(Organization.objects.editable_by(actor).values_list("pk", flat=True))
        self.projects = {p.code: p for p in WikimediaProject.objects.all()}
        self.blank = bulk.Blank(Partnership)
        names = [
            f.name
            for f in Partnership._meta.concrete_fields
            if not f.primary_key and f.name not in services.CLEAN_EXCLUDE
        ]
        self.checks = bulk.FieldChecks(Partnership, names)
        self.relations = bulk.Relations(Partnership, ["lead"])

    def check(self, row: PartnershipRow) -> None:
        """Raise ValidationError (a dict keyed by field name: 'title', 'lead', 'participants',
        'goals', 'links', 'end_date', 'projects', ...) or PermissionDenied, writing nothing."""
        self.checked(row)

    def checked(self, row: PartnershipRow) -> _Checked:
        """The row checked (as `check`), ready to be written by partnership_create_many."""
        if row.lead.pk not in self.editable:
            raise services.lead_refused()
        partnership = self.blank()
        links = services.prepare(
            partnership,
            lead=row.lead,
            participants=row.participants,
            goals=row.goals,
            links=row.links,
            fields={
                "title": row.title,
                "description": row.description,
                "structure": row.structure,
                "status": row.status,
                "scope": row.scope,
                "visibility": row.visibility,
                "start_date": row.start_date,
                "end_date": row.end_date,
            },
            checks=self.checks,
            relate=self.relations.set,
        )
        codes = list(dict.fromkeys(row.projects))
        unknown = [code for code in codes if code not in self.projects]
        if unknown:
            raise ValidationError(
                {
                    "projects": [
                        _("There is no Wikimedia project with the code %(code)s.") % {"code": code}
                        for code in unknown
                    ]
                }
            )
        themes = list(dict.fromkeys(k for k in map(services.theme_key, row.themes) if k))
        return _Checked(
            row=row,
            partnership=partnership,
            links=links or [],
            projects=[self.projects[code] for code in codes],
            themes=themes,
        )


def partnership_create_many(
    *,
    actor: Any,
    rows: Iterable[PartnershipRow],
    history_changes: dict | None = None,
    batch_size: int = 2000,
) -> list[int]:
    """Create the partnerships, all or none (the caller holds the transaction; call it inside
    transaction.atomic). Each row is checked by a Checker first; a failing row raises
    RowError(index, error). Returns the new partnerships' ids in row order.

    Use it for many rows at once (the spreadsheet import); one partnership is partnership_create's.
    Each partnership gets one history entry, action "imported", with what partnership_create
    records merged with `history_changes` (the import's file: {"source": [None, "file.xlsx"]}).
    """
    checker = Checker(actor)
    writer = _Writer(actor, history_changes or {})
    ids: list[int] = []
    batch: list[_Checked] = []
    # A savepoint of its own: a caller that catches the RowError inside its transaction still
    # keeps none of the batches written before it.
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                batch.append(checker.checked(row))
            except (ValidationError, PermissionDenied) as exc:
                raise RowError(index, exc, refused="lead") from exc
            if len(batch) >= batch_size:
                ids += writer.write(batch)
                batch = []
        if batch:
            ids += writer.write(batch)
        search.index_many(Partnership, ids)
    if ids:
        figcache.changed()
    return ids


class _Writer:
    """Writes checked rows, a batch at a time, keeping what batches share: the themes found or
    created, the participants' texts for the history."""

    def __init__(self, actor: Any, history_changes: dict) -> None:
        self.actor = actor
        self.history_changes = history_changes
        self.themes: dict[str, Theme] = {}
        self.labels: dict[tuple[int, str], str] = {}
        self.participant = bulk.Blank(Participant)
        self.organizations = bulk.Relations(Participant, ["organization"])
        self.project_through: Any = Partnership.projects.through
        self.theme_through: Any = Partnership.themes.through
        self.project_row = bulk.Blank(self.project_through)
        self.theme_row = bulk.Blank(self.theme_through)

    def write(self, batch: list[_Checked]) -> list[int]:
        Partnership.objects.bulk_create([item.partnership for item in batch])
        missing: dict[str, str] = {}
        for item in batch:
            for slug, name in item.themes:
                if slug not in self.themes:
                    missing.setdefault(slug, name)  # the first spelling names a new theme
        if missing:
            self.themes.update(services.themes_by_slug(missing))
        participants: list[Participant] = []
        projects: list[Any] = []
        themes: list[Any] = []
        links: list[PartnershipLink] = []
        entries: list[HistoryEntry] = []
        for item in batch:
            partnership, row = item.partnership, item.row
            members = [self._participant(partnership.pk, row.lead, Participant.Role.LEAD)]
            members += [
                self._participant(partnership.pk, spec.organization, spec.role)
                for spec in row.participants
            ]
            participants += members
            for project in item.projects:
                through = self.project_row()
                through.partnership_id, through.wikimediaproject_id = partnership.pk, project.pk
                projects.append(through)
            chosen = list(
                {self.themes[slug].pk: self.themes[slug] for slug, _n in item.themes}.values()
            )
            for theme in chosen:
                through = self.theme_row()
                through.partnership_id, through.theme_id = partnership.pk, theme.pk
                themes.append(through)
            for link in item.links:
                link.partnership_id = partnership.pk
            links += item.links
            after = services.snapshot_of(
                partnership,
                participants=[self._label(m) for m in members],
                projects=item.projects,
                themes=chosen,
                links=item.links,
            )
            entries.append(
                history.new_entry(
                    actor=self.actor,
                    model=Partnership,
                    object_id=partnership.pk,
                    object_repr=str(partnership),
                    action=HistoryEntry.Action.IMPORT,
                    changes={**history.diff({}, after), **self.history_changes},
                )
            )
        bulk.insert(Participant, participants)
        bulk.insert(self.project_through, projects)
        bulk.insert(self.theme_through, themes)
        bulk.insert(PartnershipLink, links)
        bulk.insert(HistoryEntry, entries)
        return [item.partnership.pk for item in batch]

    def _participant(self, partnership_id: int, organization: Organization, role: str) -> Any:
        participant = self.participant()
        participant.partnership_id = partnership_id
        self.organizations.set(participant, "organization", organization)
        participant.role = role
        return participant

    def _label(self, participant: Participant) -> str:
        # An import names the same few partners again and again; str() builds the role's label.
        key = (participant.organization_id, participant.role)
        if key not in self.labels:
            self.labels[key] = str(participant)
        return self.labels[key]
