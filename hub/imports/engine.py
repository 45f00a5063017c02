"""Importing in-kind contributions from spreadsheets, in two phases (like pretix's imports).

1. Preview (`run_import(..., write=False)`): read the file (hub.core.tabular), map its columns,
   turn every cell into a typed value, match donors and partnerships to the directory, and
   validate every row with the same service rules as the form. Nothing is written. The result
   names each problem by row and column, lists the donors that confirming will add to the
   directory, and counts rows that were imported before.
2. Import (`run_import(..., write=True)`): the same pass again, writing through
   `contribution_create_many` a batch at a time to a staging table and publishing the rows at
   the end in one short transaction (hub/imports/stage.py): all or none, without holding
   the database's write lock for the whole file. With problems present it writes nothing, unless
   the person chose to import the valid rows and skip the listed ones.

Rows stream through; donors and partnerships are matched against indexes built with one query
each, so memory and queries stay flat however long the file is. Re-importing a file adds nothing:
every row carries an import key (a hash of its normalized values and the receiving organization,
or the key an export of the hub wrote). The pass over each row is imports/reading.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
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
    count_rows,
    name_key,
    open_table,
    shorten,
)
from hub.directory.models import Organization
from hub.funding import services
from hub.imports import stage as import_stage
from hub.imports.columns import apply_mapping, header_words, proposed_mapping, sheet_hint
from hub.imports.kinds import CONTRIBUTIONS, get_kind, unknown_header
from hub.imports.reading import Importer, Prepared, sample_of, service_problems
from hub.imports.rows import (
    ImportOptions,
)

MAX_PROBLEMS = 1000  # kept and shown; the count goes on
MAX_LISTED = 500
SAMPLE_ROWS = 10
PROGRESS_EVERY = 500
BACKGROUND_ROWS = 5000


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
    # the record kinds (hub/imports/records.py): the organizations the file adds, the names
    # the person must choose an organization for, and the sample table's headers
    new_organizations: list[str] = field(default_factory=list)
    new_organization_count: int = 0
    uncertain: list[dict[str, Any]] = field(default_factory=list)
    uncertain_count: int = 0
    sample_headers: list[str] = field(default_factory=list)
    skipped_totals: list[SkippedRow] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
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
    (imports/columns.py: TARGETS); missing headers get the organization's remembered or
    proposed mapping. `sheet` names the sheet of a workbook to read (default: hub.core.tabular's
    choice).
    A write stages `batch_size` rows per transaction (default: settings.IMPORT_BATCH_ROWS) under
    the staging key `run` (an import job's, see stage.job_run) and calls `written` with
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
    chosen, wrong = apply_mapping(
        table.headers, proposed_mapping([h for h in table.headers if h], organization), mapping
    )
    result.fatal.extend(wrong)
    result.mapping = chosen
    if not wrong and (refusal := unknown_header(get_kind(CONTRIBUTIONS), table, chosen)):
        result.fatal.extend(refusal.problems)
        return result
    importer = Importer(
        actor=actor,
        organization=organization,
        mapping=chosen,
        headers=table.headers,
        options=options,
    )
    missing = importer.missing_columns()
    if missing:
        missing.extend(sheet_hint(table))
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
) -> Iterator[Prepared]:
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
                problems.extend(service_problems(exc, row.number, importer))
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
                result.sample.append(sample_of(prepared))
            yield prepared
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
    if progress:
        progress(result.rows)


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
    recorded after it), then publish them all at once (hub/imports/stage.py)."""
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
            for problem in service_problems(exc, number or 0, importer):
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
        result.fatal.extend(service_problems(exc, 0, importer))
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
