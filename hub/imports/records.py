"""Importing partnerships, organizations and grants from spreadsheets and wiki tables, in the two
phases of the in-kind import (hub/imports/engine.py; docs/import-formats.md).

1. Preview (`run_records(kind, path, ..., write=False)`): read the file, map its columns (the
   kind's ColumnSpec), turn every cell into a typed value, match every organization the file
   names to the directory (`Organizations`), check every row with the rules of the kind's service
   (its Checker), and count the rows imported before. Nothing is written. A name the directory
   may hold under several records is an *uncertain match*: the row waits (it is a problem of its
   column) until the person chooses the organization it means, or a new one (ImportJob.choices).
2. Import (`write=True`): the same pass, staging the checked rows a batch at a time
   (StagedRecord, each batch its own short transaction), then publishing them in one
   transaction: the organizations the file adds, the records through the kind's `create_many`,
   and an ImportedRecord per record (its key, and the file or wiki page and revision it came
   from). All or none, unless the person chose to skip the rows with problems.

A second import adds nothing: a row whose key (the file's import key column, else a hash of its
cells, reading.RowKeys) the organization imported before, or that the registry already holds (the
kind's natural key: for a partnership, its lead, title and start date), is counted, not written.

A kind is a `RecordKind` (its columns, who may import, its Reader); hub/imports/partnerships.py,
organizations.py and grants.py are the three.
"""

from __future__ import annotations

import abc
import collections
import functools
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hub.core.busy import retry_if_busy
from hub.core.streaming import pk_pages
from hub.core.tabular import (
    Limits,
    Problem,
    TabularError,
    open_table,
    shorten,
)
from hub.directory.models import Organization
from hub.imports.cells import Cells
from hub.imports.columns import ColumnSpec, apply_mapping, sheet_hint
from hub.imports.engine import MAX_LISTED, PROGRESS_EVERY, SAMPLE_ROWS, ImportResult
from hub.imports.kinds import ImportKind, unknown_header
from hub.imports.models import ImportedRecord, ImportJob, StagedRecord
from hub.imports.naming import NEW, Organizations, Ref
from hub.imports.reading import RowKeys
from hub.imports.rows import ImportOptions
from hub.imports.stage import discard_run, new_run

# ------------------------------------------------------------------------------- a kind


@dataclass
class Prepared:
    """A checked row: its number, key, the fields to stage (JSON), and its natural key."""

    number: int
    data: dict[str, Any]
    key: str = ""
    natural: Hashable | None = None
    sample: list[str] = field(default_factory=list)


class Reader(abc.ABC):
    """The kind-specific reading of rows: typed cells in, staged fields (or problems) out.

    A kind subclasses it: `prepare` turns a row's typed cells into a Prepared (naming its
    problems), `check` applies the service's rules to it (raising ValidationError or
    PermissionDenied), `existing` says which natural keys the hub already holds, and `build`
    turns the staged fields back into what the kind's `create_many` takes."""

    # service field -> the target whose column a service problem names
    field_targets: Mapping[str, str] = {}
    sample_headers: Sequence[str | Promise] = ()

    def __init__(self, context: Context) -> None:
        self.context = context
        self.actor = context.actor
        self.organization = context.organization
        self.organizations = context.organizations

    def column(self, target: str) -> str:
        return self.context.column(target)

    @abc.abstractmethod
    def missing_columns(self, mapped: set[str]) -> list[Problem]:
        """(each kind says)"""

    @abc.abstractmethod
    def prepare(
        self, number: int, data: dict[str, Any], problems: list[Problem]
    ) -> Prepared | None:
        """(each kind says)"""

    @abc.abstractmethod
    def check(self, prepared: Prepared) -> None:
        """(each kind says)"""

    def existing(self, naturals: list[Hashable]) -> set[Hashable]:
        return set()

    @abc.abstractmethod
    def build(self, data: dict[str, Any], organizations: Mapping[Ref, Organization]) -> Any:
        """(each kind says)"""

    @abc.abstractmethod
    def create_many(self, rows: list[Any], history_changes: dict[str, list[Any]]) -> list[int]:
        """(each kind says)"""

    def new_organization_fields(self) -> dict[str, Any]:
        """What an organization the file adds is, besides its name."""
        return {"kind": Organization.Kind.OTHER}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record the engine imports (partnerships, organizations, grants)."""

    name: str
    records_label: str | Promise
    columns: ColumnSpec
    reader: Callable[[Context], Reader]
    # the organizations `user` may import for (the upload form's choices)
    organizations: Callable[[Any], Any]
    # who may import for the organization, and what to say to the others
    refusal: str | Promise
    # the words of its pages (ImportKind's)
    heading: str | Promise = ""
    needed: str | Promise = ""
    list_url: str = ""
    see_records: str | Promise = ""
    done_message: Callable[[int], str] = str

    def as_import_kind(self) -> ImportKind:
        return ImportKind(
            name=self.name,
            records_label=self.records_label,
            targets=self.columns.targets,
            header_words=self.columns.header_words,
            proposed_mapping=self.columns.proposed_mapping,
            remember_mapping=self.columns.remember_mapping,
            run=functools.partial(run_records, self),
            organizations=self.organizations,
            job_options=_job_options,
            heading=self.heading,
            needed=self.needed,
            list_url=self.list_url,
            see_records=self.see_records,
            done_message=self.done_message,
        )


def _job_options(job: ImportJob) -> dict[str, Any]:
    return {
        "choices": job.choices or {},
        "source_url": job.source_url,
        "source_revision": job.source_revision,
        "job_id": job.pk,
    }


@dataclass
class Context:
    """What a kind's Reader is given: who imports for which organization, with which options,
    the file's columns, and the directory's organizations."""

    actor: Any
    organization: Organization
    options: ImportOptions
    organizations: Organizations
    header_of: dict[str, str]
    labels: dict[str, str]

    def column(self, target: str) -> str:
        return self.header_of.get(target) or self.labels.get(target, target)


# ------------------------------------------------------------------------------- the pass


def run_records(
    kind: RecordKind,
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
    choices: Mapping[str, int] | None = None,
    source_url: str = "",
    source_revision: int | None = None,
    job_id: int | None = None,
) -> ImportResult:
    """Preview (write=False) or import (write=True) a file of `kind`'s records for
    `organization`: the engine's run_import, for partnerships, organizations and grants.

    `choices` are the person's answers to uncertain matches (folded name -> organization id, 0
    for a new one); `source_url` and `source_revision` say which wiki page (at which revision)
    the file holds, kept with every record. Raises nothing for bad input: the result's `fatal`
    and `problems` say what is wrong."""
    options = options or ImportOptions()
    result = ImportResult(write=write)
    allowed = kind.organizations(actor).filter(pk=organization.pk).exists()
    if not allowed:
        result.fatal.append(Problem(str(kind.refusal)))
        return result
    spec = kind.columns
    try:
        table = open_table(
            path, name=name, header_words=spec.header_words(), limits=limits, sheet=sheet or None
        )
    except TabularError as exc:
        result.fatal.extend(exc.problems)
        return result
    result.headers, result.header_row = table.headers, table.header_row
    result.format, result.encoding = table.format, table.encoding
    chosen, wrong = apply_mapping(
        table.headers, spec.proposed_mapping([h for h in table.headers if h], organization), mapping
    )
    result.fatal.extend(wrong)
    result.mapping = chosen
    if not wrong and (refusal := unknown_header(kind.as_import_kind(), table, chosen)):
        result.fatal.extend(refusal.problems)
        return result
    header_of: dict[str, str] = {}
    for header, target in chosen.items():
        if target:
            header_of.setdefault(target, header)
    organizations = Organizations(choices)
    context = Context(
        actor=actor,
        organization=organization,
        options=options,
        organizations=organizations,
        header_of=header_of,
        labels={t.name: str(t.label) for t in spec.targets},
    )
    reader = kind.reader(context)
    missing = reader.missing_columns(set(header_of))
    if missing:
        missing.extend(sheet_hint(table))
    result.fatal.extend(missing)
    if result.fatal:
        return result
    cells = Cells(table.headers, chosen, spec, getattr(reader, "cell_readers", {}), options)
    source = source_url or name or Path(path).name
    passing = _Pass(
        kind=kind,
        reader=reader,
        cells=cells,
        result=result,
        row_keys=RowKeys(table.headers, organization),
        progress=progress,
    )
    try:
        if write:
            _write(
                passing,
                table,
                skip_invalid=skip_invalid,
                batch_size=batch_size or settings.IMPORT_BATCH_ROWS,
                run=run or new_run(),
                source=source,
                source_revision=source_revision,
                job_id=job_id,
                written=written,
            )
        else:
            # the preview counts what the batches hold; nothing is kept
            collections.deque(passing.batches(table, settings.IMPORT_BATCH_ROWS), maxlen=0)
    except TabularError as exc:
        result.fatal.extend(exc.problems)
        _not_imported(result)
    result.skipped_totals = list(table.skipped)
    result.uncertain = list(organizations.uncertain.values())
    result.uncertain_count = organizations.uncertain_count
    if not write or not result.imported:
        result.new_organization_count = len(organizations.used_new)
        result.new_organizations = organizations.new_listed()
    result.sample_headers = [str(h) for h in reader.sample_headers]
    return result


class _Pass:
    """One pass over a file's rows: typed, prepared, checked, keyed, and batched for staging."""

    def __init__(self, *, kind, reader, cells, result, row_keys, progress) -> None:
        self.kind = kind
        self.reader = reader
        self.cells = cells
        self.result = result
        self.row_keys = row_keys
        self.progress = progress
        self.naturals: dict[Hashable, int] = {}  # natural key -> the row that first had it

    def batches(self, table, size: int) -> Iterator[list[Prepared]]:
        """The rows without problems that the hub does not hold yet, a batch at a time."""
        result = self.result
        batch: list[Prepared] = []
        for row in table.rows():
            result.rows += 1
            problems = row.problems
            prepared = self._prepare(row.number, row.values, problems)
            if problems:
                for problem in problems:
                    result.add_problem(problem)
                result.invalid_count += 1
                if len(result.invalid_rows) < 1000:
                    result.invalid_rows.append(row.number)
            elif prepared is not None:
                result.valid_rows += 1
                if len(result.sample) < SAMPLE_ROWS:
                    result.sample.append({"row": str(row.number), "cells": prepared.sample})
                batch.append(prepared)
                if len(batch) >= size:
                    yield self._new(batch)
                    batch = []
            if self.progress and result.rows % PROGRESS_EVERY == 0:
                self.progress(result.rows)
        if batch:
            yield self._new(batch)
        if self.progress:
            self.progress(result.rows)

    def _prepare(self, number: int, values: list[Any], problems: list[Problem]) -> Prepared | None:
        data = self.cells.typed(number, values, problems)
        prepared = self.reader.prepare(number, data, problems)
        if prepared is None or problems:
            return None
        try:
            self.reader.check(prepared)
        except (ValidationError, PermissionDenied) as exc:
            problems.extend(service_problems(exc, number, self.reader))
            return None
        if prepared.natural is not None:
            first = self.naturals.setdefault(prepared.natural, number)
            if first != number:
                problems.append(Problem(_("repeats row %(row)s.") % {"row": first}, row=number))
                return None
        prepared.key = data.get("import_key") or self.row_keys(values)
        return prepared

    def _new(self, batch: list[Prepared]) -> list[Prepared]:
        """The batch without the rows imported before or already in the hub (counted)."""
        kind, organization = self.kind.name, self.reader.organization
        keys = [p.key for p in batch]
        imported = set(
            ImportedRecord.objects.filter(
                kind=kind, organization=organization, key__in=keys
            ).values_list("key", flat=True)
        )
        held = self.reader.existing([p.natural for p in batch if p.natural is not None])
        fresh = [p for p in batch if p.key not in imported and p.natural not in held]
        self.result.already_imported += len(batch) - len(fresh)
        # the organizations confirming adds: those the rows it writes name
        for prepared in fresh:
            self.reader.organizations.used_new.update(_new_numbers(prepared.data))
        return fresh


def service_problems(
    exc: ValidationError | PermissionDenied, number: int, reader: Reader
) -> list[Problem]:
    """A service's refusal as problems of the row, each naming the column of its field."""
    if isinstance(exc, PermissionDenied):
        return [Problem(str(exc), row=number)]
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    problems = []
    for name, texts in messages.items():
        target = reader.field_targets.get(name, name)
        column = reader.column(target) if target in reader.context.labels else None
        for text in texts:
            problems.append(Problem(text, row=number, column=column))
    return problems


# ------------------------------------------------------------------------------- writing


class _Rollback(Exception):
    pass


def _write(
    passing: _Pass,
    table,
    *,
    skip_invalid: bool,
    batch_size: int,
    run: str,
    source: str,
    source_revision: int | None,
    job_id: int | None,
    written: Callable[[ImportResult], None] | None,
) -> None:
    result = passing.result
    published = False
    try:
        for batch in passing.batches(table, batch_size):
            if result.problem_count and not skip_invalid:
                continue  # all or none: keep reading to name every problem, stop writing
            _stage(run, batch)
            if passing.progress:
                passing.progress(result.rows)
        if result.problem_count and not skip_invalid:
            raise _Rollback
        retry_if_busy(
            lambda: _publish(
                passing,
                run=run,
                source=source,
                source_revision=source_revision,
                job_id=job_id,
                written=written,
            )
        )
        published = True
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
            discard_run(run)


def _stage(run: str, batch: list[Prepared]) -> None:
    rows = [StagedRecord(run=run, number=p.number, key=p.key, data=p.data) for p in batch]

    def insert() -> None:
        with transaction.atomic():
            StagedRecord.objects.bulk_create(rows)

    retry_if_busy(insert)


def _new_numbers(value: Any) -> Iterator[int]:
    """The numbers of the new organizations a row's staged fields refer to."""
    if isinstance(value, str):
        if value.startswith(NEW):
            yield int(value.removeprefix(NEW))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _new_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _new_numbers(item)


def _publish(
    passing: _Pass,
    *,
    run: str,
    source: str,
    source_revision: int | None,
    job_id: int | None,
    written: Callable[[ImportResult], None] | None,
) -> None:
    """Move the staged rows into the hub in one transaction (see the module's docstring)."""
    from hub.directory.bulk import organization_create_many

    result, reader = passing.result, passing.reader
    organizations = reader.organizations
    history_changes: dict[str, list[Any]] = {"source": [None, source]}
    if source_revision is not None:
        history_changes["source_revision"] = [None, source_revision]
    with transaction.atomic():
        refs: dict[Ref, Organization] = dict(organizations.by_pk)
        numbers = sorted(organizations.used_new)
        if numbers:
            note = _("Added by the import of “%(source)s” for %(org)s on %(date)s.") % {
                "source": shorten(source, 200),
                "org": reader.organization,
                "date": timezone.now().date().isoformat(),
            }
            created = organization_create_many(
                actor=reader.actor,
                rows=[
                    {
                        **reader.new_organization_fields(),
                        **organizations.new_fields[n],
                        "verified": False,
                        "source_note": note,
                    }
                    for n in numbers
                ],
                history_changes=history_changes,
            )
            for number, organization in zip(numbers, created, strict=True):
                refs[f"{NEW}{number}"] = organization
        created_count = 0
        staged = StagedRecord.objects.filter(run=run)
        chunk: list[StagedRecord] = []
        for row in pk_pages(staged, 2000):
            chunk.append(row)
            if len(chunk) >= 2000:
                created_count += _publish_chunk(passing, chunk, refs, history_changes, job_id)
                chunk = []
        if chunk:
            created_count += _publish_chunk(passing, chunk, refs, history_changes, job_id)
        staged.delete()
        result.created = created_count
        result.imported = True
        result.new_organization_count = len(numbers)
        result.new_organizations = [organizations.new_fields[n]["name"] for n in numbers][
            :MAX_LISTED
        ]
        if written is not None:
            written(result)


def _publish_chunk(
    passing: _Pass,
    chunk: list[StagedRecord],
    refs: Mapping[Ref, Organization],
    history_changes: dict[str, list[Any]],
    job_id: int | None,
) -> int:
    reader = passing.reader
    rows = [reader.build(staged.data, refs) for staged in chunk]
    try:
        ids = reader.create_many(rows, history_changes)
    except ValidationError as exc:
        index = getattr(exc, "index", None)
        number = chunk[index].number if index is not None else 0
        error = getattr(exc, "error", exc)
        for problem in service_problems(error, number, reader):
            passing.result.add_problem(problem)
        raise _Rollback from exc
    source = history_changes["source"][1]
    revision = history_changes.get("source_revision", [None, None])[1]
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(
                kind=passing.kind.name,
                organization=reader.organization,
                key=staged.key,
                object_id=pk,
                job_id=job_id,
                source=source[:500],
                source_revision=revision,
                row=staged.number,
            )
            for staged, pk in zip(chunk, ids, strict=True)
        ]
    )
    return len(ids)


def _not_imported(result: ImportResult) -> None:
    result.created = 0
    result.already_imported = 0
    result.imported = False


def import_file(
    path: str | Path,
    *,
    kind: str,
    organization: Organization,
    actor,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    choices: Mapping[str, int] | None = None,
) -> ImportResult:
    """Import a file of `kind` ("partnerships", "organizations", "grants") in one call (the
    benchmark and scripts use it): all or none, unless `skip_invalid`."""
    from hub.imports.kinds import get_kind

    return get_kind(kind).run(
        path,
        organization=organization,
        actor=actor,
        mapping=mapping,
        skip_invalid=skip_invalid,
        write=True,
        choices=choices,
    )
