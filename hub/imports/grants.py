"""The grants kind of import: a chapter's list of grants and other cash support, one row each,
run by hub/imports/records.py. Its columns are the grants export's (docs/exports.md) and the words
offices write. The funder is matched to the directory (a new one is added as a funder); the
recipient is the organization the import is for unless a column names another it edits for; a
partnership is named by its title. Each row is checked with grant_create's rules
(hub.funding.grants.bulk.GrantChecker) and written by grant_create_many.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hub.core.tabular import Problem, name_key
from hub.directory.models import Organization
from hub.funding.grants.bulk import GrantChecker, grant_create_many
from hub.funding.grants.models import Grant
from hub.imports import vocab
from hub.imports.cells import vocabulary_cell
from hub.imports.columns import ColumnSpec, Target
from hub.imports.naming import Ref
from hub.imports.records import Prepared, Reader, RecordKind
from hub.imports.rows import Partnerships

NAME = "grants"

TARGETS: tuple[Target, ...] = (
    Target(
        "title", gettext_lazy("Title"), "text",
        ("title", "grant", "name", "titel", "forderung", "zuwendung", "titre", "subvention", "titulo", "subvencion", "العنوان"),
        required=True,
    ),
    Target(
        "funder", gettext_lazy("Funder"), "text",
        ("funder", "funded by", "donor", "geldgeber", "forderer", "zuwendungsgeber", "financeur", "bailleur", "financiador", "الممول"),
        required=True,
    ),
    Target(
        "funder_code", gettext_lazy("Funder's short code or Wikidata item"), "text",
        ("funder code", "funder_code"),
    ),
    Target(
        "recipient", gettext_lazy("Recipient"), "text",
        ("recipient", "empfanger", "beneficiaire", "beneficiario", "المستفيد"),
    ),
    Target("partnership", gettext_lazy("Partnership"), "text", ("partnership", "partnerschaft", "partenariat", "alianza")),
    Target(
        "amount", gettext_lazy("Amount"), "number",
        ("amount", "sum", "value", "betrag", "summe", "hohe", "montant", "somme", "importe", "monto", "cantidad", "المبلغ"),
        required=True,
    ),
    Target("currency", gettext_lazy("Currency"), "currency", ("currency", "wahrung", "devise", "moneda", "العملة")),
    Target("restricted", gettext_lazy("Restricted"), "bool", ("restricted", "zweckgebunden", "affecte", "restringido")),
    Target("restriction", gettext_lazy("Restriction"), "text", ("restriction", "zweckbindung", "affectation", "restriccion")),
    Target(
        "period_start", gettext_lazy("Period start"), "date",
        ("period start", "period_start", "start", "from", "beginn", "von", "debut", "inicio", "desde"),
    ),
    Target(
        "period_end", gettext_lazy("Period end"), "date",
        ("period end", "period_end", "end", "until", "ende", "bis", "fin", "hasta"),
    ),
    Target("status", gettext_lazy("Status"), "grant_status", ("status", "stand", "statut", "estado", "الحالة")),
    Target(
        "description", gettext_lazy("Description"), "text",
        ("description", "notes", "beschreibung", "bemerkungen", "descriptif", "descripcion", "الوصف"),
    ),
    Target("confidential", gettext_lazy("Confidential"), "bool", ("confidential", "vertraulich", "confidentiel", "confidencial")),
    Target("import_key", gettext_lazy("Import key"), "key", ("import key", "import_key")),
)  # fmt: skip

COLUMNS = ColumnSpec(NAME, TARGETS)

_STATUSES = {
    Grant.Status.PROSPECT: ("idea", "geplant", "prevu", "previsto"),
    Grant.Status.APPLIED: ("submitted", "beantragt", "eingereicht", "demande", "solicitado", "presentado"),
    Grant.Status.AWARDED: ("granted", "approved", "bewilligt", "genehmigt", "zugesagt", "accorde", "obtenu", "concedido", "aprobado"),
    Grant.Status.DECLINED: ("rejected", "refused", "abgelehnt", "refuse", "rechazado", "denegado"),
    Grant.Status.REPORTED: ("closed", "abgerechnet", "berichtet", "cloture", "justificado"),
}  # fmt: skip

FIELDS = (
    "title",
    "amount",
    "currency",
    "restricted",
    "restriction",
    "status",
    "description",
    "confidential",
)


@functools.cache
def status_words() -> dict[str, str]:
    return vocab.choice_words(Grant.Status, _STATUSES)


class GrantReader(Reader):
    field_targets: Mapping[str, str] = {}
    sample_headers = (
        gettext_lazy("Row"),
        gettext_lazy("Title"),
        gettext_lazy("Funder"),
        gettext_lazy("Amount"),
        gettext_lazy("Period"),
        gettext_lazy("Status"),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self.checker = GrantChecker(self.actor)
        self.partnerships = Partnerships(self.actor, self.organization)
        self.held: dict[int, set[tuple]] = {}
        self.cell_readers = {
            "grant_status": vocabulary_cell(status_words, Grant.Status),
        }

    def missing_columns(self, mapped: set[str]) -> list[Problem]:
        problems = [
            Problem(
                _("No column is mapped to '%(field)s'; map one.")
                % {"field": self.context.labels[name]}
            )
            for name in ("title", "amount")
            if name not in mapped
        ]
        if not mapped & {"funder", "funder_code"}:
            problems.append(
                Problem(
                    _("No column is mapped to '%(field)s'; map one.")
                    % {"field": self.context.labels["funder"]}
                )
            )
        return problems

    def prepare(
        self, number: int, data: dict[str, Any], problems: list[Problem]
    ) -> Prepared | None:
        organizations = self.organizations
        for name in ("title", "amount"):
            if data.get(name) in (None, "") and not any(
                p.column == self.column(name) for p in problems
            ):
                problems.append(
                    Problem(_("is empty; it is needed."), row=number, column=self.column(name))
                )
        funder: Ref | None = None
        if data.get("funder") or data.get("funder_code"):
            code = data.get("funder_code", "")
            funder = organizations.find(
                data.get("funder") or code,
                number=number,
                column=self.column("funder" if data.get("funder") else "funder_code"),
                problems=problems,
                create=bool(data.get("funder")),
                short_code=code if not code.upper().startswith("Q") else "",
                wikidata_id=code if code.upper().startswith("Q") else "",
            )
        elif not any(p.column == self.column("funder") for p in problems):
            problems.append(
                Problem(_("is empty; it is needed."), row=number, column=self.column("funder"))
            )
        recipient: Ref | None = self.organization.pk
        if data.get("recipient"):
            recipient = organizations.find(
                data["recipient"],
                number=number,
                column=self.column("recipient"),
                problems=problems,
                create=False,
            )
        partnership = None
        if data.get("partnership"):
            found = self.partnerships.find_for_row(
                data["partnership"],
                number=number,
                column=self.column("partnership"),
                problems=problems,
            )
            partnership = found.pk if found is not None else None
        if problems or funder is None or recipient is None:
            return None
        fields: dict[str, Any] = {
            name: data[name] for name in FIELDS if data.get(name) not in (None, "")
        }
        fields["title"] = " ".join(str(fields["title"]).split())
        fields["amount"] = str(fields["amount"])
        fields.setdefault("currency", self.context.options.default_currency)
        fields["funder"], fields["recipient"], fields["partnership"] = (
            funder,
            recipient,
            partnership,
        )
        for name in ("period_start", "period_end"):
            if data.get(name):
                fields[name] = data[name].isoformat()
        start = fields.get("period_start", "")
        natural = (
            (recipient, funder, name_key(fields["title"]), start)
            if isinstance(funder, int) and isinstance(recipient, int)
            else None
        )
        return Prepared(
            number=number,
            data=fields,
            natural=natural,
            sample=[
                fields["title"],
                str(organizations.instance(funder)),
                f"{fields['amount']} {fields['currency']}",
                " – ".join(d for d in (start, fields.get("period_end", "")) if d),
                str(Grant.Status(fields["status"]).label) if "status" in fields else "",
            ],
        )

    def _fields(self, data: dict[str, Any], organization) -> dict[str, Any]:
        fields = {name: data[name] for name in FIELDS if name in data}
        fields["amount"] = Decimal(data["amount"])
        fields["funder"] = organization(data["funder"])
        fields["recipient"] = organization(data["recipient"])
        if data.get("partnership"):
            fields["partnership"] = self.partnerships.by_pk(data["partnership"])
        for name in ("period_start", "period_end"):
            if data.get(name):
                fields[name] = datetime.date.fromisoformat(data[name])
        return fields

    def check(self, prepared: Prepared) -> None:
        self.checker.check(self._fields(prepared.data, self.organizations.instance))

    def existing(self, naturals: list[Hashable]) -> set[Hashable]:
        """The (recipient, funder, title, period start) the hub already holds: each recipient's
        grants are read once per import."""
        recipients = {natural[0] for natural in naturals}  # type: ignore[index]
        for recipient in recipients - set(self.held):
            self.held[recipient] = {
                (funder, name_key(title), start.isoformat() if start else "")
                for funder, title, start in Grant.objects.filter(
                    recipient_id=recipient
                ).values_list("funder_id", "title", "period_start")
            }
        return {
            n
            for n in naturals
            if (n[1], n[2], n[3]) in self.held[n[0]]  # type: ignore[index]
        }

    def build(self, data: dict[str, Any], organizations: Mapping[Ref, Organization]) -> Any:
        return self._fields(data, organizations.__getitem__)

    def create_many(self, rows: list[Any], history_changes: dict[str, list[Any]]) -> list[int]:
        return grant_create_many(actor=self.actor, rows=rows, history_changes=history_changes).ids

    def new_organization_fields(self) -> dict[str, Any]:
        return {"kind": Organization.Kind.FUNDER}


def _organizations(user):
    """Grants are imported for the movement organizations the person edits for."""
    return Organization.objects.editable_by(user).movement()


KIND = RecordKind(
    name=NAME,
    records_label=gettext_lazy("grants"),
    columns=COLUMNS,
    reader=GrantReader,
    organizations=_organizations,
    refusal=gettext_lazy("You can import grants only for organizations you edit for."),
    heading=gettext_lazy("Import grants from a spreadsheet"),
    needed=gettext_lazy(
        "Needed: a title, the funder and the amount. The recipient is the organization you "
        "import for unless a column names another."
    ),
    list_url="funding:grant_list",
    see_records=gettext_lazy("See the grants"),
    done_message=lambda n: (
        ngettext("%(n)s grant was imported.", "%(n)s grants were imported.", n) % {"n": n}
    ),
)
