"""The organizations kind of import: a list of partner institutions, one row each (name, local
name, kind, country, website, short code, Wikidata item), run by hub/imports/records.py.

Each row is matched to the directory first, as the other kinds match the organizations they name
(hub.directory.matching): one the directory holds already is counted, not added again (an
uncertain one waits for the person's choice: that organization, or a new one). New rows are
checked with organization_create's rules (hub.directory.bulk.OrganizationChecker) and written by
organization_create_many.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from hub.core.tabular import Problem, ValueProblem, fold
from hub.core.weburl import MESSAGE as WEB_URL_MESSAGE
from hub.core.weburl import WebURLFormField
from hub.directory.access import may_create
from hub.directory.bulk import OrganizationChecker, organization_create_many
from hub.directory.matching import name_key
from hub.directory.models import Organization
from hub.imports import vocab
from hub.imports.cells import vocabulary_cell
from hub.imports.columns import ColumnSpec, Target
from hub.imports.naming import Ref
from hub.imports.records import Prepared, Reader, RecordKind
from hub.imports.rows import _text

NAME = "organizations"
FIELDS = ("name", "local_name", "kind", "country", "website", "short_code", "wikidata_id")

TARGETS: tuple[Target, ...] = (
    Target(
        "name", gettext_lazy("Name"), "name",
        (
            "name", "organization", "organisation", "institution", "partner", "organization name",
            "name der organisation", "einrichtung", "nom", "organisme", "nom de l organisation",
            "nombre", "organizacion", "entidad", "institucion", "الاسم", "المنظمة",
        ),
        required=True,
    ),
    Target(
        "local_name", gettext_lazy("Local name"), "name",
        (
            "local name", "local_name", "name in the local language", "original name",
            "lokaler name", "originalname", "nom local", "nom d origine", "nombre local",
            "nombre original", "الاسم المحلي",
        ),
    ),
    Target(
        "kind", gettext_lazy("Kind"), "org_kind",
        (
            "kind", "type", "category", "art", "typ", "kategorie", "type d organisation",
            "tipo", "categoria", "النوع",
        ),
    ),
    Target(
        "country", gettext_lazy("Country"), "country",
        ("country", "country code", "land", "staat", "pays", "pais", "البلد"),
    ),
    Target(
        "website", gettext_lazy("Website"), "url",
        (
            "website", "web", "url", "homepage", "site", "webseite", "internetseite", "site web",
            "sitio web", "pagina web", "الموقع",
        ),
    ),
    Target(
        "short_code", gettext_lazy("Short code"), "text",
        (
            "short code", "short_code", "code", "abbreviation", "acronym", "kurzel",
            "abkurzung", "sigle", "code court", "abreviatura", "sigla", "siglas", "الرمز",
        ),
    ),
    Target(
        "wikidata_id", gettext_lazy("Wikidata item"), "text",
        (
            "wikidata", "wikidata item", "wikidata id", "wikidata_id", "qid", "element wikidata",
            "elemento de wikidata", "ويكي بيانات",
        ),
    ),
    Target("import_key", gettext_lazy("Import key"), "key", ("import key", "import_key")),
)  # fmt: skip

COLUMNS = ColumnSpec(NAME, TARGETS)

# What offices call the kinds besides their labels (vocab adds the labels in every language).
_KINDS = {
    Organization.Kind.MUSEUM: ("museo", "musee", "متحف"),
    Organization.Kind.LIBRARY: ("bibliothek", "bucherei", "bibliotheque", "biblioteca", "مكتبة"),
    Organization.Kind.ARCHIVE: ("archiv", "archives", "archivo", "أرشيف"),
    Organization.Kind.GALLERY: ("galerie", "galeria"),
    Organization.Kind.UNIVERSITY: (
        "university", "universitat", "hochschule", "universite", "universidad", "research",
        "forschung", "recherche", "investigacion", "جامعة",
    ),
    Organization.Kind.SCHOOL: ("schule", "ecole", "escuela", "colegio", "مدرسة"),
    Organization.Kind.GOVERNMENT: ("government", "behorde", "ministerium", "gouvernement", "gobierno", "حكومة"),
    Organization.Kind.NGO: ("verein", "association", "asociacion", "ong", "nro"),
    Organization.Kind.COMPANY: ("firma", "unternehmen", "entreprise", "empresa", "شركة"),
    Organization.Kind.FUNDER: ("stiftung", "foundation", "fondation", "fundacion"),
    Organization.Kind.MEDIA: ("medien", "presse", "medios", "إعلام"),
}  # fmt: skip


@functools.cache
def kind_words() -> dict[str, str]:
    return vocab.choice_words(Organization.Kind, _KINDS)


def country_code(value: Any) -> str:
    """An ISO 3166 code from a code ("de", "DEU") or a name in any shipped language."""
    text = _text(value).strip()
    if len(text) in (2, 3) and countries.alpha2(text):
        return countries.alpha2(text)
    for language, _name in settings.LANGUAGES:
        code = countries.by_name(text, language=language)
        if code:
            return code
    raise ValueProblem(_("is not a country (a name or an ISO code such as DE)."))


def web_address(value: Any) -> str:
    """A website as the organization form reads it: a bare host ("www.example.org", as offices
    write it) gets https:// in front; the model's field then checks it as on every way in."""
    try:
        return WebURLFormField().to_python(_text(value))
    except ValidationError:
        raise ValueProblem(str(WEB_URL_MESSAGE)) from None


class OrganizationReader(Reader):
    field_targets: Mapping[str, str] = {}
    sample_headers = (
        gettext_lazy("Row"),
        gettext_lazy("Name"),
        gettext_lazy("Kind"),
        gettext_lazy("Country"),
        gettext_lazy("Website"),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self.checker = OrganizationChecker(self.actor)
        self.cell_readers = {
            "org_kind": vocabulary_cell(kind_words, Organization.Kind),
            "country": country_code,
            "url": web_address,
        }

    def missing_columns(self, mapped: set[str]) -> list[Problem]:
        if "name" in mapped:
            return []
        return [
            Problem(
                _("No column is mapped to '%(field)s'; map one.")
                % {"field": self.context.labels["name"]}
            )
        ]

    def prepare(
        self, number: int, data: dict[str, Any], problems: list[Problem]
    ) -> Prepared | None:
        name = " ".join(str(data.get("name", "")).split())
        if not name:
            if not any(p.column == self.column("name") for p in problems):
                problems.append(
                    Problem(_("is empty; it is needed."), row=number, column=self.column("name"))
                )
            return None
        if problems:
            return None
        fields = {field: data[field] for field in FIELDS if data.get(field)}
        fields["name"] = name
        fields.setdefault("kind", Organization.Kind.OTHER)
        if "short_code" in fields:
            fields["short_code"] = fields["short_code"].strip().upper()
        if "wikidata_id" in fields:
            fields["wikidata_id"] = fields["wikidata_id"].strip().upper()
        held = self._held(fields, number, problems)
        if problems:
            return None
        natural: Hashable = ("held", held) if held is not None else ("new", name_key(name))
        return Prepared(
            number=number,
            data=fields,
            natural=natural,
            sample=[
                name,
                str(Organization.Kind(fields["kind"]).label),
                str(fields.get("country", "")),
                fields.get("website", ""),
            ],
        )

    def _held(self, fields: dict[str, Any], number: int, problems: list[Problem]) -> int | None:
        """The directory's organization this row describes, or None for a new one."""
        organizations = self.organizations
        match = organizations.index.match(
            name=fields["name"],
            website=fields.get("website", ""),
            short_code=fields.get("short_code", ""),
            wikidata_id=fields.get("wikidata_id", ""),
        )
        if match.certain:
            return match.organization.pk  # type: ignore[union-attr]
        key = name_key(fields["name"])
        chosen = organizations.choices.get(key)
        if chosen == 0:
            return None
        if chosen and chosen in organizations.by_pk:
            return chosen
        if match.uncertain:
            # the same question, and the same answer, as for a partner named by another kind
            organizations.find(
                fields["name"],
                number=number,
                column=self.column("name"),
                problems=problems,
                website=fields.get("website", ""),
                short_code=fields.get("short_code", ""),
                wikidata_id=fields.get("wikidata_id", ""),
            )
        return None

    def check(self, prepared: Prepared) -> None:
        if prepared.natural[0] == "new":  # type: ignore[index]
            self.checker.check(prepared.data)

    def existing(self, naturals: list[Hashable]) -> set[Hashable]:
        return {n for n in naturals if n[0] == "held"}  # type: ignore[index]

    def build(self, data: dict[str, Any], organizations: Mapping[Ref, Organization]) -> Any:
        return data

    def create_many(self, rows: list[Any], history_changes: dict[str, list[Any]]) -> list[int]:
        created = organization_create_many(
            actor=self.actor, rows=rows, history_changes=history_changes
        )
        return [organization.pk for organization in created]


def _organizations(user):
    """Organizations are imported by those who may add them, for an organization they edit for
    (whose column mapping is remembered)."""
    if not may_create(user):
        return Organization.objects.none()
    return Organization.objects.editable_by(user)


KIND = RecordKind(
    name=NAME,
    records_label=gettext_lazy("organizations"),
    columns=COLUMNS,
    reader=OrganizationReader,
    organizations=_organizations,
    refusal=gettext_lazy("You cannot add organizations to the directory."),
    heading=gettext_lazy("Import organizations from a spreadsheet"),
    needed=gettext_lazy(
        "Needed: a name. An organization the directory already holds (by Wikidata item, short "
        "code, website or name) is not added again."
    ),
    list_url="directory:list",
    see_records=gettext_lazy("See the directory"),
    done_message=lambda n: (
        ngettext(
            "%(n)s organization was added to the directory.",
            "%(n)s organizations were added to the directory.",
            n,
        )
        % {"n": n}
    ),
)


__all__ = ["KIND", "country_code", "fold"]
