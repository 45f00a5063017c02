"""How an import writes its rows: in batches to a staging table, then into the contributions at once.

SQLite has one write lock for the whole database. An import of 100,000 rows in one transaction
held it for the whole write (a minute and more on a busy machine), so every other write of the
hub (a sign-in, an edit, a token's last-used time) waited behind it and failed after the busy
timeout. Here each batch of rows goes to `StagedContribution` in a transaction of its own (a few
milliseconds), and the other writers take their turn between batches. Nobody sees the staged rows:
the lists, figures and API read the contributions table only. When every row is staged and the
file had no problem, `publish` moves them into the contributions in one short transaction (one
INSERT ... SELECT per receiving organization, with the donors the file adds to the directory and
the history entry), so the person still gets all or none. A failed import deletes what it staged;
one whose worker died is cleaned up when its job is found stale (hub/imports/jobs.py),
and rows left by a script that was killed are deleted after a day (`discard_old`).

The same code runs on PostgreSQL and MariaDB, where batches are as good.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from hub.core import bulk
from hub.core.busy import retry_if_busy
from hub.directory.models import Organization
from hub.funding import services
from hub.funding.models import InKindContribution
from hub.imports.models import StagedContribution, StagedRecord

# Staged rows older than this belong to an import that can no longer be running.
STAGED_KEPT = datetime.timedelta(days=1)
# SQLite's page cache while the rows are published (its default is 2 MB): the INSERT ... SELECT
# adds every row to eight indexes, and with the default cache the same index pages are written
# out again and again; 64 MB made it a third faster, so other writers wait that much less.
PUBLISH_CACHE_KB = 65536


def new_run() -> str:
    """The staging key of an import without a job (a script's, the benchmark's)."""
    return f"run:{uuid.uuid4().hex}"


def job_run(job_id: int) -> str:
    return f"job:{job_id}"


@dataclass
class ContributionStage:
    """The rows of one import on their way in (passed to contribution_create_many as `stage`)."""

    run: str
    after_batch: Callable[[], None] | None = None
    # receiving organization id -> (the organization, rows staged for it)
    staged: dict[int, tuple[Organization, list[int]]] = field(default_factory=dict)

    def put(self, items: list[InKindContribution]) -> None:
        """Stage a batch (new contributions, built and checked) in a transaction of its own."""
        for item in items:
            item.__dict__["run"] = self.run
            item.__dict__.setdefault("new_donor", None)
            org_id = item.receiving_organization_id
            if org_id not in self.staged:
                self.staged[org_id] = (item.receiving_organization, [0])
            self.staged[org_id][1][0] += 1

        def insert() -> None:
            with transaction.atomic():
                bulk.insert(StagedContribution, items)

        retry_if_busy(insert)
        if self.after_batch is not None:
            self.after_batch()

    def publish(
        self,
        *,
        actor,
        source: str,
        donors: Sequence[str],
        create_donor: Callable[[str], Organization],
        then: Callable[[services.BulkResult], None] | None = None,
    ) -> services.BulkResult:
        """Move the staged rows into the contributions, in one transaction (tried again if the
        database stayed busy past its timeout): add the donors
        (`donors[n]` for the rows staged with new_donor n) with `create_donor`, record one
        history entry per receiving organization, and call `then` with the outcome before the
        transaction commits (so a job's state changes with its rows). Rows whose import key
        another import added meanwhile are counted as already imported, not written twice."""
        with _page_cache(PUBLISH_CACHE_KB):
            return retry_if_busy(lambda: self._publish(actor, source, donors, create_donor, then))

    def _publish(
        self,
        actor,
        source: str,
        donors: Sequence[str],
        create_donor: Callable[[str], Organization],
        then: Callable[[services.BulkResult], None] | None,
    ) -> services.BulkResult:
        staged = StagedContribution.objects.filter(run=self.run)
        with transaction.atomic():
            used = staged.exclude(new_donor=None).values_list("new_donor", flat=True).distinct()
            for number in sorted(n for n in used if n is not None):
                donor = create_donor(donors[number])
                staged.filter(new_donor=number).update(
                    donor_organization_id=donor.pk, donor_name="", new_donor=None
                )
            created = skipped = 0
            for organization, (count,) in self.staged.values():
                entry = services.import_entry_create(
                    actor=actor, organization=organization, source=source, count=count
                )
                inserted = _move(self.run, organization.pk, entry.pk)
                if inserted != count:
                    entry.changes["imported_contributions"] = [None, inserted]
                    entry.save(update_fields=["changes"])
                created += inserted
                skipped += count - inserted
            staged.delete()
            result = services.BulkResult(created=created, skipped_existing=skipped)
            if then is not None:
                then(result)
        return result

    def discard(self) -> None:
        """Delete what this import staged (it failed, or was refused)."""
        discard_run(self.run)


@contextlib.contextmanager
def _page_cache(kilobytes: int) -> Iterator[None]:
    """A larger page cache for this connection while the block runs (SQLite only)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-int(kilobytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def discard_run(run: str) -> int:
    """Delete what the import `run` staged, of any kind."""
    with transaction.atomic():
        deleted, _by_model = StagedContribution.objects.filter(run=run).delete()
        records, _by_model = StagedRecord.objects.filter(run=run).delete()
    return deleted + records


def discard_old(*, now: datetime.datetime | None = None) -> int:
    """Delete staged rows of imports that ended without cleaning up (their process was killed)."""
    cutoff = (now or timezone.now()) - STAGED_KEPT
    with transaction.atomic():
        deleted, _by_model = StagedContribution.objects.filter(created_at__lt=cutoff).delete()
        records, _by_model = StagedRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted + records


def _move(run: str, organization_id: int, entry_id: int) -> int:
    """INSERT the staged rows of `run` for one organization into the contributions (in file
    order, pointing to the import's history entry), leaving out the keys already there.
    Returns how many rows were inserted."""
    quote = connection.ops.quote_name
    fields = [f for f in InKindContribution._meta.concrete_fields if not f.primary_key]
    names = [str(f.column) for f in fields]
    columns = ", ".join(quote(name) for name in names)
    values = ", ".join(
        "%s" if f.name == "import_entry" else f"s.{quote(name)}"
        for f, name in zip(fields, names, strict=True)
    )
    target = quote(InKindContribution._meta.db_table)
    source = quote(StagedContribution._meta.db_table)
    receiving, key = quote("receiving_organization_id"), quote("import_key")
    # Only quoted names from the models' meta are formatted in; values are parameters.
    sql = (
        f"INSERT INTO {target} ({columns}) SELECT {values} FROM {source} s "  # noqa: S608
        f"WHERE s.{quote('run')} = %s AND s.{receiving} = %s AND NOT EXISTS ("
        f"SELECT 1 FROM {target} m WHERE m.{receiving} = s.{receiving} AND m.{key} = s.{key}) "
        f"ORDER BY s.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry_id, run, organization_id])
        return cursor.rowcount
