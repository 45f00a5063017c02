"""Importing in-kind contributions from spreadsheets, in two phases (like pretix's imports).

1. Preview (`run_import(..., write=False)`): read the file (hub.core.tabular), map its columns,
   turn every cell into a typed value, match donors and partnerships to the directory, and
   validate every row with the same service rules as the form. Nothing is written. The result
   names each problem by row and column, lists the donors that confirming will add to the
   directory, and counts rows that were imported before.
2. Import (`run_import(..., write=True)`): the same pass again, writing through
   `contribution_create_many` a batch at a time to a staging table and publishing the rows at
   the end in one short transaction (hub/funding/import_stage.py): all or none, without holding
   the database's write lock for the whole file. With problems present it writes nothing, unless
   the person chose to import the valid rows and skip the listed ones.

Rows stream through; donors and partnerships are matched against indexes built with one query
each, so memory and queries stay flat however long the file is. Re-importing a file adds nothing:
every row carries an import key (a hash of its normalized values and the receiving organization,
or the key an export of the hub wrote).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core.tabular import (
    Limits,
    Problem,
    SkippedRow,
    TabularError,
    ValueProblem,
    count_rows,
    fold,
    name_key,
    open_table,
    shorten,
)
from hub.directory.models import Organization
from hub.funding import services
from hub.funding.imports import stage as import_stage
from hub.funding.imports.columns import (
    BY_NAME,
    currency_in,
    header_words,
    propose_mapping,
)
from hub.funding.imports.rows import (
    Directory,
    ImportOptions,
    Partnerships,
    canonical,
    convert,
)
from hub.funding.models import Category, ColumnMapping

MAX_PROBLEMS = 1000  # kept and shown; the count goes on
MAX_LISTED = 500
SAMPLE_ROWS = 10
PROGRESS_EVERY = 500
BACKGROUND_ROWS = 5000
KEY_VERSION = "i1:"
CELL_MEMO = 4096  # distinct texts remembered per column (see Importer.cells)


@dataclass
class ImportResult:
    """What a preview found or an import did; `problems` are readable ("row 14, column 'Value': ...")."""

    write: bool = False
    imported: bool = False
    created: int = 0
    already_imported: int = 0
    rows: int = 0
    valid_rows: int = 0
    invalid_rows: list[int] = field(default_factory=list)
    invalid_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    fatal: list[Problem] = field(default_factory=list)
    new_donors: list[str] = field(default_factory=list)
    new_donor_count: int = 0
    skipped_totals: list[SkippedRow] = field(default_factory=list)
    sample: list[dict[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    header_row: int = 0
    format: str = ""
    encoding: str = ""
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.fatal and not self.problem_count

    def messages(self) -> list[str]:
        return [str(p) for p in (self.fatal or self.problems)]

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [str(p) for p in self.problems]
        data["fatal"] = [str(p) for p in self.fatal]
        data["ok"] = self.ok
        data["skipped_totals"] = [
            {"number": s.number, "label": s.label} for s in self.skipped_totals
        ]
        return data


class _Rollback(Exception):
    pass


# ------------------------------------------------------------------------------------ the pass


@dataclass
class _Prepared:
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
        result: ImportResult,
    ) -> None:
        self.actor = actor
        self.organization = organization
        self.options = options
        self.result = result
        self.headers = headers
        # column index -> target, and target -> header (for messages)
        self.columns = [
            (index, mapping[header])
            for index, header in enumerate(headers)
            if mapping.get(header) in BY_NAME
        ]
        self.header_of = {target: headers[index] for index, target in self.columns}
        self._columns: dict[str, str] = {}
        self.key_headers = [fold(h) if h else None for h in headers]
        # What each distinct text in a column converts to, and adds to the import key: a column
        # holds few distinct texts (13 categories, hundreds of dates and donors), so each is read
        # once. Only text is remembered (1, 1.0 and True are one dict key); a column of unique
        # texts stops adding at CELL_MEMO entries.
        self.cells: list[tuple[int, str, str, dict[str, tuple]]] = [
            (index, target, BY_NAME[target].kind, {}) for index, target in self.columns
        ]
        self.key_parts: list[tuple[int, str, dict[str, str]]] = [
            (index, f"{header}=", {})
            for index, header in enumerate(self.key_headers)
            if header is not None
        ]
        self.organization_part = str(organization.pk)
        self.directory = Directory()
        self.partnerships = Partnerships(actor, organization)
        self.occurrences: dict[bytes, int] = {}
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

    def prepare(self, number: int, values: list[Any], problems: list[Problem]) -> _Prepared | None:
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
            partnership = self.partnerships.find(data["partnership"])
            if partnership is None:
                problems.append(
                    Problem(
                        _("is not the title of a partnership you can see."),
                        row=number,
                        column=self.column("partnership"),
                        value=shorten(data["partnership"]),
                    )
                )
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
        return _Prepared(number, fields, new_donor)

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
        parts = [self.organization_part]
        width = len(values)
        for index, prefix, memo in self.key_parts:
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
        # identical rows in one file are distinct gifts: the nth copy gets its own key
        # (counted by the raw 32 bytes, half the memory of the hex text for 100,000 rows)
        raw_digest = hashed.digest()
        seen = self.occurrences.get(raw_digest, 0)
        self.occurrences[raw_digest] = seen + 1
        if seen:
            digest = hashlib.sha256(f"{digest}#{seen}".encode()).hexdigest()
        return KEY_VERSION + digest


def _service_problems(
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


def _remembered(organization: Organization) -> dict[str, str]:
    stored = ColumnMapping.objects.filter(organization=organization).first()
    return stored.mapping if stored else {}


def remember_mapping(*, actor, organization: Organization, mapping: Mapping[str, str]) -> None:
    """Remember what the organization's columns mean, for its next file."""
    stored, _created = ColumnMapping.objects.get_or_create(organization=organization)
    merged = dict(stored.mapping)
    merged.update({fold(header): target for header, target in mapping.items()})
    stored.mapping = merged
    stored.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    stored.save()


def proposed_mapping(headers: list[str], organization: Organization) -> dict[str, str]:
    return propose_mapping(headers, _remembered(organization))


def run_import(
    path: str | Path,
    *,
    organization: Organization,
    actor,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    write: bool = False,
    options: ImportOptions | None = None,
    progress: Callable[[int], None] | None = None,
    limits: Limits | None = None,
    batch_size: int | None = None,
    sheet: str | None = None,
    run: str | None = None,
    written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Preview (write=False) or import (write=True) a spreadsheet of contributions.

    Use it from pages, the command and background tasks alike. `mapping` is header -> field
    (see tabular_map.TARGETS); missing headers get the organization's remembered or proposed
    mapping. `sheet` names the sheet of a workbook to read (default: hub.core.tabular's choice).
    A write stages `batch_size` rows per transaction (default: settings.IMPORT_BATCH_ROWS) under
    the staging key `run` (an import job's, see import_stage.job_run) and calls `written` with
    the result in the transaction that makes the rows visible.
    Raises nothing for bad input: the result's `fatal` and `problems` say what is wrong.
    """
    options = options or ImportOptions()
    result = ImportResult(write=write)
    editable = Organization.objects.editable_by(actor).filter(pk=organization.pk).exists()
    if not editable or not organization.is_movement:
        result.fatal.append(
            Problem(_("You can import contributions only for organizations you edit for."))
        )
        return result
    try:
        table = open_table(
            path, name=name, header_words=header_words(), limits=limits, sheet=sheet or None
        )
    except TabularError as exc:
        result.fatal.extend(exc.problems)
        return result
    result.headers, result.header_row = table.headers, table.header_row
    result.format, result.encoding = table.format, table.encoding
    chosen = proposed_mapping([h for h in table.headers if h], organization)
    for header, target in (mapping or {}).items():
        matches = [h for h in table.headers if h and fold(h) == fold(header)]
        if not matches:
            result.fatal.append(
                Problem(_("The file has no column '%(header)s'.") % {"header": header})
            )
            continue
        for existing, current in list(chosen.items()):
            if current == target and target and existing != matches[0]:
                chosen[existing] = ""
        chosen[matches[0]] = target
    result.mapping = chosen
    importer = Importer(
        actor=actor,
        organization=organization,
        mapping=chosen,
        headers=table.headers,
        options=options,
        result=result,
    )
    missing = importer.missing_columns()
    if missing and len(table.sheets) > 1:
        missing.append(
            Problem(
                _(
                    "These columns were looked for on the sheet '%(sheet)s'. The workbook's "
                    "sheets: %(sheets)s; choose the one with the list."
                )
                % {
                    "sheet": table.sheet,
                    "sheets": ", ".join(f"'{name}'" for name in table.sheets),
                }
            )
        )
    result.fatal.extend(missing)
    if result.fatal:
        return result
    try:
        if write:
            _write(
                table,
                importer,
                result,
                skip_invalid=skip_invalid,
                progress=progress,
                batch_size=batch_size or settings.IMPORT_BATCH_ROWS,
                source=name or Path(path).name,
                run=run,
                written=written,
            )
        else:
            _preview(table, importer, result, progress=progress)
    except TabularError as exc:
        result.fatal.extend(exc.problems)
        result.created = 0
        result.imported = False
    result.skipped_totals = list(table.skipped)
    if write and not skip_invalid and result.problem_count and not result.fatal:
        # All or none, and nothing was written. The write stops handing rows to the service at
        # the first problem, so rows only its rules refuse (a negative quantity) would go
        # unnamed: check every row as the preview does, and answer with that.
        checked = run_import(
            path,
            organization=organization,
            actor=actor,
            name=name,
            mapping=mapping,
            options=options,
            progress=progress,
            limits=limits,
            sheet=sheet,
        )
        if checked.problem_count or checked.fatal:
            checked.write, checked.imported, checked.created = True, False, 0
            return checked
    return result


def _rows(
    table, importer: Importer, result: ImportResult, progress, *, validate: bool
) -> Iterator[_Prepared]:
    """Prepared rows without problems; rows with problems are counted in `result`."""
    rates = services.RateBook()
    for row in table.rows():
        result.rows += 1
        problems = row.problems  # a list of its own for each row
        prepared = importer.prepare(row.number, row.values, problems)
        if prepared is not None and validate:
            try:
                services.contribution_validate(actor=importer.actor, rates=rates, **prepared.fields)
            except (ValidationError, PermissionDenied) as exc:
                problems.extend(_service_problems(exc, row.number, importer))
                prepared = None
        if problems:
            for problem in problems:
                result.add_problem(problem)
            result.invalid_count += 1
            if len(result.invalid_rows) < MAX_PROBLEMS:
                result.invalid_rows.append(row.number)
        elif prepared is not None:
            result.valid_rows += 1
            if prepared.new_donor:
                key = name_key(prepared.new_donor)
                if key not in importer.new_donors:
                    importer.new_donors[key] = prepared.new_donor
                    result.new_donor_count += 1
                    if len(result.new_donors) < MAX_LISTED:
                        result.new_donors.append(prepared.new_donor)
            if len(result.sample) < SAMPLE_ROWS:
                result.sample.append(_sample(prepared))
            yield prepared
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
    if progress:
        progress(result.rows)


def _number_text(number: Decimal, places: int = 0) -> str:
    """1.0 as "1", 750.0 as "750.00" with places=2: what the sheet meant, not the float it held."""
    if number == number.to_integral_value() and not places:
        return str(number.to_integral_value())
    text = format(number.normalize(), "f")
    whole, _point, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(places, '0')}" if fraction or places else whole


def _sample(prepared: _Prepared) -> dict[str, str]:
    fields = prepared.fields
    donor = fields.get("donor_organization") or fields.get("donor_name", "")
    return {
        "row": str(prepared.number),
        "donor": str(donor),
        "new_donor": "1" if prepared.new_donor else "",
        "date": fields["date"].isoformat() if fields.get("date") else "",
        "category": str(dict(Category.choices).get(fields.get("category", ""), "")),
        "description": shorten(fields.get("description", ""), 80),
        "quantity": f"{_number_text(fields['quantity'])} {fields.get('unit', '')}".strip()
        if fields.get("quantity") is not None
        else "",
        "value": f"{_number_text(fields['value'], 2)} {fields.get('currency', '')}".strip()
        if fields.get("value") is not None
        else _("from the rate"),
    }


def _preview(table, importer: Importer, result: ImportResult, *, progress) -> None:
    keys: list[str] = []
    for prepared in _rows(table, importer, result, progress, validate=True):
        keys.append(prepared.fields["import_key"])
    existing = services.contribution_existing_keys(
        receiving_organization=importer.organization, keys=keys
    )
    result.already_imported = sum(1 for key in keys if key in existing)


def _write(
    table,
    importer: Importer,
    result: ImportResult,
    *,
    skip_invalid: bool,
    progress,
    batch_size: int,
    source: str,
    run: str | None,
    written: Callable[[ImportResult], None] | None,
) -> None:
    """Stage the rows a batch at a time (each batch its own short transaction, the progress
    recorded after it), then publish them all at once (hub/funding/import_stage.py)."""
    # The service validates each row as it is handed over, so a RowError is about the last one.
    last_number = 0
    donors: dict[str, int] = {}  # folded name -> its number in the stage's list of new donors
    stage = import_stage.ContributionStage(
        run or import_stage.new_run(),
        after_batch=(lambda: progress(result.rows)) if progress else None,
    )

    def fields_in_order() -> Iterator[dict[str, Any]]:
        nonlocal last_number
        # With skip_invalid every row is validated first, so a bad one is skipped, not fatal.
        for prepared in _rows(table, importer, result, progress, validate=skip_invalid):
            if result.problem_count and not skip_invalid:
                continue  # all or none: keep reading to name every problem, stop writing
            fields = prepared.fields
            if prepared.new_donor:
                # the row names the donor until the stage adds it to the directory
                number = donors.setdefault(name_key(prepared.new_donor), len(donors))
                fields = {**fields, "new_donor": number}
            last_number = prepared.number
            yield fields

    def new_donor(text: str) -> Organization:
        from hub.directory.services import organization_create

        return organization_create(
            actor=importer.actor,
            name=" ".join(text.split()),
            kind=Organization.Kind.OTHER,
            verified=False,
            source_note=_("Added by the import of a spreadsheet of %(org)s on %(date)s.")
            % {"org": importer.organization, "date": timezone.now().date().isoformat()},
        )

    def finished(bulk: services.BulkResult) -> None:
        result.created = bulk.created
        result.already_imported += bulk.skipped_existing
        result.imported = True
        if written is not None:
            written(result)

    published = False
    try:
        try:
            staged = services.contribution_create_many(
                actor=importer.actor,
                rows=fields_in_order(),
                batch_size=batch_size,
                source=source,
                stage=stage,
            )
        except services.RowError as exc:
            number = last_number or None
            for problem in _service_problems(exc, number or 0, importer):
                result.add_problem(problem)
            result.invalid_count += 1
            raise _Rollback from exc
        if result.problem_count and not skip_invalid:
            raise _Rollback
        result.already_imported = staged.skipped_existing
        result.skipped_totals = list(table.skipped)
        stage.publish(
            actor=importer.actor,
            source=source,
            donors=[importer.new_donors[key] for key in donors],  # in the order of their numbers
            create_donor=new_donor,
            then=finished,
        )
        published = True
    except (ValidationError, PermissionDenied) as exc:
        result.fatal.extend(_service_problems(exc, 0, importer))
        _not_imported(result)
    except _Rollback:
        _not_imported(result)
    except DatabaseError as exc:
        _not_imported(result)
        result.fatal.append(
            Problem(
                _("The database refused the rows (%(error)s); nothing was imported.")
                % {"error": shorten(exc, 200)}
            )
        )
    finally:
        if not published:
            stage.discard()


def _not_imported(result: ImportResult) -> None:
    result.created = 0
    result.already_imported = 0
    result.imported = False


def import_file(
    path: str | Path,
    organization: Organization,
    actor,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Import a file in one call (the benchmark and scripts use it): all or none, unless
    `skip_invalid` imports the valid rows and skips the rest."""
    return run_import(
        path,
        organization=organization,
        actor=actor,
        mapping=mapping,
        skip_invalid=skip_invalid,
        write=True,
    )


def estimate_rows(path: str | Path, fmt: str, sheet: str = "") -> int:
    """A quick upper estimate of the rows in a file (in `sheet` of a workbook, default the first),
    to choose between now and a background task: the lines of a CSV file, the rows holding cells
    of a workbook's sheet (not its <dimension>, which may be missing or wrong)."""
    path = Path(path)
    if fmt == "csv":
        count = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
        return count
    return count_rows(path, fmt, sheet)
