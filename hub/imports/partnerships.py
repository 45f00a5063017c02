"""The partnerships kind of import: a chapter's list of partnerships, one row each
(hub/imports/records.py runs it; docs/import-formats.md describes the columns).

Its columns are the registry export's (docs/exports.md), so an exported registry reads back, and
the words offices write in the shipped languages ("Partner", "Ziele", "objectifs"). Partners are
one column with several names (separated by "; " or a line break, each with its role in
parentheses: "Museum (Gastgeber)") or one column per partner ("Partner 1", "Partner 2"). A row
without a lead is led by the organization the import is for. Each row is checked with the rules
of `partnership_create` (hub.partnerships.bulk.Checker) and written by `partnership_create_many`.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hub.core.exporting import split_items
from hub.core.models import Visibility
from hub.core.tabular import Problem, fold, name_key
from hub.directory.models import Organization
from hub.imports import vocab
from hub.imports.cells import code_list, vocabulary_cell
from hub.imports.columns import ColumnSpec, Target
from hub.imports.naming import Ref
from hub.imports.records import Prepared, Reader, RecordKind
from hub.imports.rows import _text
from hub.partnerships.bulk import Checker, PartnershipRow, partnership_create_many
from hub.partnerships.exporting import link_items, partner_items
from hub.partnerships.models import Goal, Partnership, WikimediaProject
from hub.partnerships.services import ParticipantSpec

NAME = "partnerships"

TARGETS: tuple[Target, ...] = (
    Target(
        "title", gettext_lazy("Title"), "text",
        (
            "title", "name", "partnership", "project", "project name", "partnership name",
            "titel", "name der partnerschaft", "partnerschaft", "kooperation", "projekt",
            "projektname", "titre", "nom", "partenariat", "projet", "nom du projet",
            "titulo", "nombre", "proyecto", "alianza", "nombre del proyecto", "العنوان", "الاسم",
        ),
        required=True,
    ),
    Target(
        "description", gettext_lazy("Description"), "text",
        (
            "description", "details", "notes", "summary", "beschreibung", "notizen",
            "bemerkungen", "zusammenfassung", "descriptif", "remarques", "resume",
            "descripcion", "notas", "resumen", "الوصف",
        ),
    ),
    Target(
        "lead", gettext_lazy("Lead organization"), "text",
        (
            "lead", "lead organization", "lead organisation", "led by", "federfuhrung",
            "federfuhrende organisation", "verantwortlich", "trager", "chef de file", "porteur",
            "organisation porteuse", "lider", "organizacion lider", "responsable",
            "الجهة الرائدة",
        ),
    ),
    Target(
        "partners", gettext_lazy("Partners (with their roles)"), "partners",
        (
            "partners", "partner", "partner organizations", "partner organisations",
            "partner organization", "partnerorganisation", "partnerorganisationen",
            "partnerinnen", "partenaires", "partenaire", "organisations partenaires", "socios",
            "socio", "aliados", "organizaciones", "organizaciones socias", "institution",
            "institutions", "institucion", "instituciones", "الشركاء", "participants",
            "beteiligte",
        ),
        required=True,
        repeatable=True,
    ),
    Target(
        "goals", gettext_lazy("Goals"), "goals",
        (
            "goals", "goal", "aims", "purpose", "ziele", "ziel", "zweck", "objectifs",
            "objectif", "buts", "objetivos", "objetivo", "fines", "الأهداف",
        ),
        required=True,
        repeatable=True,
    ),
    Target("structure", gettext_lazy("Structure"), "structure", ("structure", "struktur", "estructura", "البنية")),
    Target(
        "status", gettext_lazy("Status"), "status",
        (
            "status", "state", "stage", "stand", "zustand", "statut", "etat", "estado",
            "situacion", "الحالة",
        ),
    ),
    Target(
        "scope", gettext_lazy("Scope"), "scope",
        (
            "scope", "level", "reach", "reichweite", "ebene", "portee", "echelle", "alcance",
            "ambito", "nivel", "النطاق",
        ),
    ),
    Target(
        "start_date", gettext_lazy("Start date"), "date",
        (
            "start", "start date", "started", "begin", "from", "since", "beginn", "von", "seit",
            "startdatum", "debut", "date de debut", "depuis", "inicio", "fecha de inicio",
            "desde", "تاريخ البدء", "start_date",
        ),
    ),
    Target(
        "end_date", gettext_lazy("End date"), "date",
        (
            "end", "end date", "ended", "until", "to", "ende", "bis", "enddatum", "fin",
            "date de fin", "jusqu a", "fecha de fin", "hasta", "تاريخ الانتهاء", "end_date",
        ),
    ),
    Target(
        "projects", gettext_lazy("Wikimedia projects"), "projects",
        (
            "projects", "wikimedia projects", "wikis", "wiki", "projekte", "wikimedia projekte",
            "projets", "projets wikimedia", "proyectos", "proyectos wikimedia", "المشاريع",
        ),
        repeatable=True,
    ),
    Target(
        "themes", gettext_lazy("Themes"), "items",
        (
            "themes", "theme", "topics", "topic", "tags", "themen", "thema", "schlagworter",
            "themes", "theme", "sujets", "temas", "tema", "etiquetas", "المواضيع",
        ),
        repeatable=True,
    ),
    Target(
        "links", gettext_lazy("Links"), "links",
        (
            "links", "link", "url", "urls", "web", "liens", "lien", "enlaces", "enlace",
            "الروابط",
        ),
        repeatable=True,
    ),
    Target(
        "visibility", gettext_lazy("Visibility"), "visibility",
        ("visibility", "sichtbarkeit", "visibilite", "visibilidad", "الظهور"),
    ),
    Target("import_key", gettext_lazy("Import key"), "key", ("import key", "import_key")),
)  # fmt: skip

COLUMNS = ColumnSpec(NAME, TARGETS)


def _several(value: Any) -> list[str]:
    """The values of a cell: separated by "; " (as the hub's exports write them) or by line
    breaks (as people type them in a spreadsheet cell)."""
    found: list[str] = []
    for line in _text(value).splitlines():
        found.extend(split_items(line))
    return found


def _partners(value: Any) -> list[tuple[str, str]]:
    roles = vocab.role_words()
    found: list[tuple[str, str]] = []
    for item in _several(value):
        found.extend(partner_items(item.replace(";", ";;"), roles=roles))
    return found


def _links(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for item in _several(value):
        found.extend(link_items(item.replace(";", ";;")))
    return found


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


class PartnershipReader(Reader):
    field_targets: Mapping[str, str] = {"participants": "partners", "direction": "partners"}
    sample_headers = (
        gettext_lazy("Row"),
        gettext_lazy("Title"),
        gettext_lazy("Lead"),
        gettext_lazy("Partners"),
        gettext_lazy("Goals"),
        gettext_lazy("Status"),
        gettext_lazy("Dates"),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self.checker = Checker(self.actor)
        self.held: dict[int, set[tuple[str, str]]] = {}
        self.projects: dict[str, str] = {}
        for code, project_name in WikimediaProject.objects.values_list("code", "name"):
            self.projects.setdefault(fold(code), code)
            self.projects.setdefault(fold(project_name), code)
        self.project_names = ", ".join(sorted(set(self.projects.values())))
        self.cell_readers = {
            "partners": _partners,
            "goals": code_list(vocab.goal_words, Goal),
            "status": vocabulary_cell(vocab.status_words, Partnership.Status),
            "structure": vocabulary_cell(vocab.structure_words, Partnership.Structure),
            "scope": vocabulary_cell(vocab.scope_words, Partnership.Scope),
            "visibility": vocabulary_cell(vocab.visibility_words, Visibility),
            "projects": _several,
            "items": _several,
            "links": _links,
        }

    def missing_columns(self, mapped: set[str]) -> list[Problem]:
        return [
            Problem(
                _("No column is mapped to '%(field)s'; map one.")
                % {"field": self.context.labels[name]}
            )
            for name in ("title", "partners", "goals")
            if name not in mapped
        ]

    def _empty(self, target: str, number: int, problems: list[Problem], text: str) -> None:
        if not any(p.column == self.column(target) for p in problems):
            problems.append(Problem(text, row=number, column=self.column(target)))

    def prepare(
        self, number: int, data: dict[str, Any], problems: list[Problem]
    ) -> Prepared | None:
        organizations = self.organizations
        title = " ".join(str(data.get("title", "")).split())
        if not title:
            self._empty("title", number, problems, _("is empty; it is needed."))
        lead: Ref | None = self.organization.pk
        if data.get("lead"):
            lead = organizations.find(
                data["lead"],
                number=number,
                column=self.column("lead"),
                problems=problems,
                create=False,
            )
        # a row the registry already holds is counted, not written: its partners need no choice
        start_date = data.get("start_date")
        held = isinstance(lead, int) and bool(title)
        held = held and bool(self.existing([(lead, name_key(title), _iso(start_date))]))
        participants: list[list[Any]] = []
        for name, role in data.get("partners", []):
            ref = organizations.find(
                name,
                number=number,
                column=self.column("partners"),
                problems=problems,
                ask=not held,
            )
            if ref is not None:
                participants.append([ref, role])
        if not data.get("partners"):
            self._empty("partners", number, problems, _("is empty; name at least one partner."))
        if not data.get("goals"):
            self._empty("goals", number, problems, _("is empty; it is needed."))
        projects = []
        for written in data.get("projects", []):
            code = self.projects.get(fold(written))
            if code is None:
                problems.append(
                    Problem(
                        _("is not a Wikimedia project the hub knows (%(projects)s).")
                        % {"projects": self.project_names},
                        row=number,
                        column=self.column("projects"),
                        value=written,
                    )
                )
            else:
                projects.append(code)
        if problems or lead is None:
            return None
        fields: dict[str, Any] = {
            "title": title,
            "lead": lead,
            "participants": participants,
            "goals": sorted(set(data["goals"])),
            "projects": list(dict.fromkeys(projects)),
            "themes": list(dict.fromkeys(data.get("themes", []))),
            "links": [list(link) for link in dict.fromkeys(data.get("links", []))],
        }
        for name in ("description", "structure", "status", "scope", "visibility"):
            if data.get(name):
                fields[name] = data[name]
        for name in ("start_date", "end_date"):
            if data.get(name):
                fields[name] = data[name].isoformat()
        start = fields.get("start_date", "")
        return Prepared(
            number=number,
            data=fields,
            natural=(lead, name_key(title), start) if isinstance(lead, int) else None,
            sample=[
                title,
                str(organizations.instance(lead)),
                "; ".join(str(organizations.instance(ref)) for ref, _role in participants),
                ", ".join(str(Goal(goal).label) for goal in fields["goals"]),
                str(Partnership.Status(fields["status"]).label) if "status" in fields else "",
                " – ".join(d for d in (start, fields.get("end_date", "")) if d),
            ],
        )

    def _row(self, data: dict[str, Any], organization) -> PartnershipRow:
        values: dict[str, Any] = {
            name: data[name]
            for name in ("description", "structure", "status", "scope", "visibility")
            if name in data
        }
        for name in ("start_date", "end_date"):
            if data.get(name):
                values[name] = datetime.date.fromisoformat(data[name])
        return PartnershipRow(
            title=data["title"],
            lead=organization(data["lead"]),
            participants=tuple(
                ParticipantSpec(organization(ref), role) for ref, role in data["participants"]
            ),
            goals=frozenset(data["goals"]),
            projects=tuple(data["projects"]),
            themes=tuple(data["themes"]),
            links=tuple((label, url) for label, url in data["links"]),
            **values,
        )

    def check(self, prepared: Prepared) -> None:
        self.checker.check(self._row(prepared.data, self.organizations.instance))

    def existing(self, naturals: list[Hashable]) -> set[Hashable]:
        """The (lead, title, start date) the registry already holds: each lead's partnerships
        are read once per import."""
        leads = {natural[0] for natural in naturals}  # type: ignore[index]
        for lead in leads - set(self.held):
            self.held[lead] = {
                (name_key(title), start.isoformat() if start else "")
                for title, start in Partnership.objects.filter(lead_id=lead).values_list(
                    "title", "start_date"
                )
            }
        return {n for n in naturals if (n[1], n[2]) in self.held[n[0]]}  # type: ignore[index]

    def build(self, data: dict[str, Any], organizations: Mapping[Ref, Organization]) -> Any:
        return self._row(data, organizations.__getitem__)

    def create_many(self, rows: list[Any], history_changes: dict[str, list[Any]]) -> list[int]:
        return partnership_create_many(actor=self.actor, rows=rows, history_changes=history_changes)


def _organizations(user):
    """Partnerships are imported for the movement organizations the person edits for (a row
    without a lead is theirs)."""
    return Organization.objects.editable_by(user).movement()


KIND = RecordKind(
    name=NAME,
    records_label=gettext_lazy("partnerships"),
    columns=COLUMNS,
    reader=PartnershipReader,
    organizations=_organizations,
    refusal=gettext_lazy("You can import partnerships only for organizations you edit for."),
    heading=gettext_lazy("Import partnerships from a spreadsheet"),
    needed=gettext_lazy(
        "Needed: a title, the partners and the goals. A row without a lead organization is led "
        "by the organization you import for."
    ),
    list_url="partnerships:list",
    see_records=gettext_lazy("See the registry"),
    done_message=lambda n: (
        ngettext("%(n)s partnership was imported.", "%(n)s partnerships were imported.", n)
        % {"n": n}
    ),
)
