"""One pass over the rows of a file: each row's cells in, typed service fields (or problems) out.

Used by the engine (hub/imports/engine.py) for the preview and the import alike: the
Importer knows which column feeds which field, converts each cell once per distinct text
(imports/rows.py), matches donors and partnerships, and gives each row its import key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hub.core.tabular import Problem, ValueProblem, fold, shorten
from hub.directory.models import Organization
from hub.funding.currencies import currency_in
from hub.funding.models import Category
from hub.imports.columns import BY_NAME
from hub.imports.rows import Directory, ImportOptions, Partnerships, canonical, convert

KEY_VERSION = "i1:"
CELL_MEMO = 4096  # distinct texts remembered per column (see Importer.cells)


@dataclass
class Prepared:
    """A row ready for the service: its number, its fields, and the new donor it names."""

    number: int
    fields: dict[str, Any]
    new_donor: str | None


class Importer:
    """One pass over a file: rows in, typed service fields (or problems) out."""

    def __init__(
        self,
        *,
        actor,
        organization: Organization,
        mapping: Mapping[str, str],
        headers: list[str],
        options: ImportOptions,
    ) -> None:
        self.actor = actor
        self.organization = organization
        self.options = options
        self.headers = headers
        # column index -> target, and target -> header (for messages)
        self.columns = [
            (index, mapping[header])
            for index, header in enumerate(headers)
            if mapping.get(header) in BY_NAME
        ]
        self.header_of = {target: headers[index] for index, target in self.columns}
        self._columns: dict[str, str] = {}
        # What each distinct text in a column converts to, and adds to the import key: a column
        # holds few distinct texts (13 categories, hundreds of dates and donors), so each is read
        # once. Only text is remembered (1, 1.0 and True are one dict key); a column of unique
        # texts stops adding at CELL_MEMO entries.
        self.cells: list[tuple[int, str, str, dict[str, tuple]]] = [
            (index, target, BY_NAME[target].kind, {}) for index, target in self.columns
        ]
        self.row_key = RowKeys(headers, organization)
        self.directory = Directory()
        self.partnerships = Partnerships(actor, organization)
        self.new_donors: dict[str, str] = {}

    def column(self, target: str) -> str:
        # asked for every row: translating the field's label each time showed in profiles
        if target not in self._columns:
            self._columns[target] = self.header_of.get(target) or str(BY_NAME[target].label)
        return self._columns[target]

    def missing_columns(self) -> list[Problem]:
        problems = []
        mapped = {target for _i, target in self.columns}
        for name in ("date", "category"):
            if name not in mapped:
                problems.append(
                    Problem(
                        _("No column is mapped to '%(field)s'; map one.")
                        % {"field": BY_NAME[name].label}
                    )
                )
        if not mapped & {"donor", "donor_name"}:
            problems.append(Problem(_("No column is mapped to the donor; map one.")))
        if not mapped & {"value", "quantity"}:
            problems.append(
                Problem(_("No column is mapped to the value (or to a quantity to value by rate)."))
            )
        return problems

    def prepare(self, number: int, values: list[Any], problems: list[Problem]) -> Prepared | None:
        """Typed fields for one row, or None after adding its problems to `problems`."""
        data: dict[str, Any] = {}
        value_currency = None
        for index, target, kind, memo in self.cells:
            raw = values[index]
            if raw is None:
                continue
            cell = memo.get(raw) if type(raw) is str else None
            if cell is None:
                cell = self._cell(kind, target, raw)
                if type(raw) is str and len(memo) < CELL_MEMO:
                    memo[raw] = cell
            typed, problem, currency = cell
            if problem is not None:
                problems.append(
                    Problem(problem, row=number, column=self.headers[index], value=shorten(raw))
                )
                continue
            data[target] = typed
            if currency is not None:
                value_currency = currency
        for name in ("date", "category"):
            if name not in data and not any(p.column == self.column(name) for p in problems):
                problems.append(
                    Problem(_("is empty; it is needed."), row=number, column=self.column(name))
                )
        donor_text = data.get("donor", "")
        no_donor = not donor_text and not data.get("donor_name") and not data.get("donor_code")
        donor_columns = (self.column("donor"), self.column("donor_name")) if no_donor else ()
        if no_donor and not any(p.column in donor_columns for p in problems):
            problems.append(
                Problem(
                    _("is empty; name the donor (an organization or a person)."),
                    row=number,
                    column=self.column("donor" if "donor" in self.header_of else "donor_name"),
                )
            )
        if problems:
            return None

        fields: dict[str, Any] = {"receiving_organization": self.organization}
        new_donor = None
        if donor_text or data.get("donor_code"):
            pk = self.directory.find(donor_text, data.get("donor_code"))
            if pk is not None:
                fields["donor_organization"] = self.directory.instance(pk)
            elif donor_text:
                new_donor = donor_text
                fields["donor_name"] = donor_text  # stands in until the organization exists
            else:
                problems.append(
                    Problem(
                        _("matches no organization in the directory."),
                        row=number,
                        column=self.column("donor_code"),
                        value=data["donor_code"],
                    )
                )
                return None
        if data.get("donor_name") and "donor_organization" not in fields and not new_donor:
            fields["donor_name"] = data["donor_name"]
        if data.get("partnership"):
            partnership = self.partnerships.find_for_row(
                data["partnership"],
                number=number,
                column=self.column("partnership"),
                problems=problems,
            )
            if partnership is None:
                return None
            fields["partnership"] = partnership
        for name in (
            "date",
            "period_end",
            "category",
            "description",
            "quantity",
            "unit",
            "valuation_method",
            "evidence_url",
            "acknowledgement",
            "confidential",
        ):
            if name in data:
                fields[name] = data[name]
        fields["value"] = data.get("value")
        currency = data.get("currency") or value_currency
        if currency:
            fields["currency"] = currency
        elif fields["value"] is not None:
            fields["currency"] = self.options.default_currency
        fields["import_key"] = self.key(data, values)
        return Prepared(number, fields, new_donor)

    def _cell(self, kind: str, target: str, raw: Any) -> tuple[Any, str | None, str | None]:
        """(typed value, problem, currency a written amount names) for one cell."""
        try:
            typed = convert(kind, raw, self.options)
        except ValueProblem as exc:
            return None, str(exc), None
        written = currency_in(raw) if target == "value" and isinstance(raw, str) else None
        return typed, None, written

    def key(self, data: dict[str, Any], values: list[Any]) -> str:
        """The row's import key: the file's own key or hub id (an export of the hub), else a hash
        of the normalized source row (every named column, whatever the mapping) and the
        receiving organization, so the same sheet as XLSX or ODS gives the same keys. (A CSV
        saved from it holds dates and amounts as the text the sheet showed, "08.03.2025" or
        "2,400.00 €", which hash differently from the typed cells.)"""
        if data.get("import_key"):
            return data["import_key"]
        if "import_key" in self.header_of and data.get("hub_id", "").isdigit():
            return f"hub:{data['hub_id']}"
        return self.row_key(values)


class RowKeys:
    """The import key of a row that brings none: a hash of its normalized cells (every named
    column, whatever the mapping) and the organization it is imported for, so the same sheet as
    XLSX or ODS gives the same keys. Identical rows of one file get distinct keys (the nth copy
    its own), so a file that lists the same gift twice keeps both."""

    def __init__(self, headers: list[str], organization: Organization) -> None:
        self.parts: list[tuple[int, str, dict[str, str]]] = [
            (index, f"{fold(header)}=", {}) for index, header in enumerate(headers) if header
        ]
        self.organization_part = str(organization.pk)
        # counted by the raw 32 bytes, half the memory of the hex text for 100,000 rows
        self.occurrences: dict[bytes, int] = {}

    def __call__(self, values: list[Any]) -> str:
        parts = [self.organization_part]
        width = len(values)
        for index, prefix, memo in self.parts:
            value = values[index] if index < width else None
            if value is None:
                continue
            part = memo.get(value) if type(value) is str else None
            if part is None:
                part = prefix + canonical(value)
                if type(value) is str and len(memo) < CELL_MEMO:
                    memo[value] = part
            parts.append(part)
        hashed = hashlib.sha256("\x1f".join(parts).encode())
        digest = hashed.hexdigest()
        raw_digest = hashed.digest()
        seen = self.occurrences.get(raw_digest, 0)
        self.occurrences[raw_digest] = seen + 1
        if seen:
            digest = hashlib.sha256(f"{digest}#{seen}".encode()).hexdigest()
        return KEY_VERSION + digest


def service_problems(
    exc: ValidationError | PermissionDenied, number: int, importer: Importer
) -> list[Problem]:
    if isinstance(exc, PermissionDenied):
        return [Problem(str(exc), row=number)]
    problems = []
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    columns = {
        "donor_organization": "donor",
        "donor_name": "donor" if "donor" in importer.header_of else "donor_name",
        "receiving_organization": None,
    }
    for name, texts in messages.items():
        target = columns.get(name, name)
        column = importer.column(target) if target in BY_NAME else None
        for text in texts:
            problems.append(Problem(text, row=number, column=column))
    return problems


def number_text(number: Decimal, places: int = 0) -> str:
    """1.0 as "1", 750.0 as "750.00" with places=2: what the sheet meant, not the float it held."""
    if number == number.to_integral_value() and not places:
        return str(number.to_integral_value())
    text = format(number.normalize(), "f")
    whole, _point, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(places, '0')}" if fraction or places else whole


def sample_of(prepared: Prepared) -> dict[str, str]:
    fields = prepared.fields
    donor = fields.get("donor_organization") or fields.get("donor_name", "")
    return {
        "row": str(prepared.number),
        "donor": str(donor),
        "new_donor": "1" if prepared.new_donor else "",
        "date": fields["date"].isoformat() if fields.get("date") else "",
        "category": str(dict(Category.choices).get(fields.get("category", ""), "")),
        "description": shorten(fields.get("description", ""), 80),
        "quantity": f"{number_text(fields['quantity'])} {fields.get('unit', '')}".strip()
        if fields.get("quantity") is not None
        else "",
        "value": f"{number_text(fields['value'], 2)} {fields.get('currency', '')}".strip()
        if fields.get("value") is not None
        else _("from the rate"),
    }
