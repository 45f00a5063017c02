"""Every change of an import job's status, in one place: nothing else assigns `ImportJob.status`.

The way of a job (ImportJob.Status), and the function that takes each step:

    uploaded, previewed, failed  --job_preview_start-->  previewing
    previewed                    --job_import_start--->  importing
    previewing, importing        --job_previewed------>  previewed   (checked; or an import that
                                                                      wrote nothing, and says why)
    importing                    --job_done----------->  done        (in the transaction that
                                                                      publishes its rows)
    previewing, importing        --job_fail----------->  failed      (an error, the file gone,
                                                                      or its worker died:
                                                                      fail_if_stale)
    uploaded, previewed, failed  --job_discard-------->  discarded   (by the person, by the cleanup
                                                                      of stale uploads, or when a
                                                                      person's data are erased)

Each step is one conditional UPDATE (`... WHERE status IN (the states it may come from)`), so of two
requests or workers that race for the same job only one takes the step; the other learns it from
the answer (False, AlreadyRunning or Abandoned) and never overwrites what the winner did.
Use these functions from the pages, the background task and the cleanup commands alike.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from hub.imports import stage
from hub.imports.models import ImportJob

Status = ImportJob.Status

# The states each step may come from (its target is in its name); `_move` refuses any other pair.
PREVIEW_FROM = (Status.UPLOADED, Status.PREVIEWED, Status.FAILED)
IMPORT_FROM = (Status.PREVIEWED,)
DISCARD_FROM = (Status.UPLOADED, Status.PREVIEWED, Status.FAILED, Status.DISCARDED)
ALLOWED: dict[str, tuple[str, ...]] = {
    Status.PREVIEWING: PREVIEW_FROM,
    Status.IMPORTING: IMPORT_FROM,
    Status.PREVIEWED: ImportJob.RUNNING,
    Status.DONE: (Status.IMPORTING,),
    Status.FAILED: ImportJob.RUNNING,
    Status.DISCARDED: DISCARD_FROM,
}


class AlreadyRunning(Exception):
    """The job is already being checked or imported (by another request, or its worker)."""


class Abandoned(Exception):
    """The job is no longer this run's: it was found stale and marked failed meanwhile."""


def _move(
    job_id: int,
    sources: Iterable[str],
    target: str,
    *,
    where: dict[str, Any] | None = None,
    **changes: Any,
) -> bool:
    """Move the job from one of `sources` to `target` (with `changes`), if it is still in one of
    them (and matches `where`). True when it moved."""
    sources = tuple(sources)
    if not set(sources) <= set(ALLOWED[target]):
        raise ValueError(f"an import job does not go from {sources} to {target}")
    changes.setdefault("updated_at", timezone.now())
    moved = ImportJob.objects.filter(pk=job_id, status__in=sources, **(where or {})).update(
        status=target, **changes
    )
    return bool(moved)


_RESTART: dict[str, Any] = {"progress": 0, "rows_done": 0, "error": "", "task_id": ""}


def job_preview_start(job: ImportJob) -> None:
    """Claim the job for a check of every row (again after a failure); AlreadyRunning when
    another request or worker has it. `job` is reloaded."""
    if not _move(job.pk, PREVIEW_FROM, Status.PREVIEWING, **_RESTART):
        raise AlreadyRunning
    job.refresh_from_db()


def job_import_start(job: ImportJob, *, skip_invalid: bool | None = None) -> None:
    """Claim a checked job for its import (`skip_invalid`: import the valid rows, skip the
    others); AlreadyRunning when it is not (or no longer) waiting to be confirmed."""
    changes: dict[str, Any] = {"skip_invalid": skip_invalid} if skip_invalid is not None else {}
    if not _move(job.pk, IMPORT_FROM, Status.IMPORTING, **_RESTART, **changes):
        raise AlreadyRunning
    job.refresh_from_db()


def job_queued(job: ImportJob, *, task_id: str) -> None:
    """Note the background task that runs the job (its status does not change)."""
    ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.RUNNING).update(task_id=task_id)


def job_progress(job_id: int, status: str, *, rows: int, percent: int) -> None:
    """Record how far a running job got, which renews its lease (ImportJob.STALE_AFTER).
    Raises Abandoned when it is no longer in `status` (it was found stale meanwhile)."""
    running = ImportJob.objects.filter(pk=job_id, status=status)
    if not running.update(rows_done=rows, progress=percent, updated_at=timezone.now()):
        raise Abandoned


def job_previewed(
    job_id: int, status: str, *, preview: dict, rows: int, result: dict | None = None
) -> bool:
    """The file was checked (or an import wrote nothing): back to confirming, the preview saying
    what was found; `result` also records what an import did not do."""
    changes = {"result": result} if result is not None else {}
    return _move(
        job_id,
        (status,),
        Status.PREVIEWED,
        preview=preview,
        progress=100,
        rows_done=rows,
        **changes,
    )


def job_done(job_id: int, *, result: dict, rows: int) -> None:
    """The import's rows are in. Call it in the transaction that publishes them, so the job and
    its rows change together; raises Abandoned (rolling them back) when the job is no longer
    importing."""
    if not _move(
        job_id, (Status.IMPORTING,), Status.DONE, result=result, rows_done=rows, progress=100
    ):
        raise Abandoned


def job_fail(
    job_id: int, status: str, *, error: str, updated_at: datetime.datetime | None = None
) -> bool:
    """A running job (in `status`, and last touched at `updated_at` if given) ended without
    finishing: `error` says why and what to do. True when it was marked failed."""
    where = {"updated_at": updated_at} if updated_at is not None else None
    return _move(job_id, (status,), Status.FAILED, where=where, error=error, progress=100)


def job_choices_set(job: ImportJob, choices: dict[str, int]) -> None:
    """Keep the person's choices for uncertain matches (folded name -> organization id, 0 for a
    new one), added to those made before; its status does not change."""
    merged = {**(job.choices or {}), **choices}
    ImportJob.objects.filter(pk=job.pk).update(choices=merged, updated_at=timezone.now())
    job.choices = merged


def job_file_delete(job: ImportJob) -> None:
    """Delete the job's uploaded file (its status does not change)."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def job_discard(job: ImportJob) -> bool:
    """The person discards the upload: its file goes, and the job is discarded unless it was
    imported (then it only loses a leftover file). False while it is running."""
    if job.status == Status.DONE:
        job_file_delete(job)
        return True
    if not _move(job.pk, DISCARD_FROM, Status.DISCARDED, file=""):
        return False
    if job.file:
        job.file.delete(save=False)
    job.refresh_from_db()
    return True


def job_erase_upload(job: ImportJob) -> None:
    """A person's data are erased (hub.core.privacy) and this upload holds them: the file goes,
    and an unfinished job with it (a running one keeps the rows it has already read)."""
    if job.file:
        job.file.delete(save=False)
    if not _move(job.pk, DISCARD_FROM, Status.DISCARDED, file=""):
        ImportJob.objects.filter(pk=job.pk).update(file="", updated_at=timezone.now())
    job.refresh_from_db()


def _worker_gone(job: ImportJob) -> bool:
    """A running job's work has stopped: its task ended without finishing it, or its lease ran
    out (no progress for ImportJob.STALE_AFTER while running). A task still waiting in the
    queue is not stale, however long it waits."""
    task_status = None
    with contextlib.suppress(ValueError):  # an id of another task backend (tests use them)
        task_id = uuid.UUID(job.task_id)
        task_status = (
            DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()
        )
    if task_status == TaskResultStatus.READY:
        return False
    if task_status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return True
    return job.updated_at < timezone.now() - ImportJob.STALE_AFTER


def fail_if_stale(job: ImportJob) -> ImportJob:
    """Mark a job whose worker died as failed and delete what it staged, so its page says so
    and the person can check the file again instead of waiting forever."""
    if job.running and _worker_gone(job):
        failed = job_fail(
            job.pk,
            job.status,
            updated_at=job.updated_at,
            error=_(
                "The work on this file stopped before it finished (its worker ended). "
                "Nothing was imported; check the file again to restart."
            ),
        )
        if failed:
            stage.discard_run(stage.job_run(job.pk))
        job.refresh_from_db()
    return job


def discard_stale_uploads(*, now: datetime.datetime | None = None) -> int:
    """Discard the uploads nobody confirmed or discarded (uploaded, checked or failed, untouched
    for ImportJob.STALE_UPLOAD_AFTER): delete the file, mark the job discarded. Running jobs are
    left alone; a done job only loses a leftover file. Returns how many jobs were discarded.
    The upload page calls it; `manage.py discard_stale_imports` runs it from cron."""
    now = now or timezone.now()
    cutoff = now - ImportJob.STALE_UPLOAD_AFTER
    discarded = 0
    stale = ImportJob.objects.filter(status__in=ImportJob.UNFINISHED, updated_at__lt=cutoff)
    for job in stale.only("pk", "status", "updated_at", "file", "organization_id"):
        # only if nobody touched it meanwhile (a check of the file may have just started)
        claimed = _move(
            job.pk,
            (job.status,),
            Status.DISCARDED,
            where={"updated_at": job.updated_at},
            file="",
            updated_at=now,
        )
        if claimed:
            discarded += 1
            if job.file:
                job.file.delete(save=False)
    for job in ImportJob.objects.filter(status=Status.DONE).exclude(file=""):
        job_file_delete(job)
    stage.discard_old(now=now)
    discard_orphan_files(cutoff=cutoff)
    return discarded


def discard_orphan_files(*, cutoff: datetime.datetime) -> list[str]:
    """Delete the files under MEDIA_ROOT/imports/ that no job names and that are older than
    `cutoff` (left by a process that died between storing a file and saving its job, or by an
    older version of the hub, which stored uploads before checking them). Returns their names."""
    storage = ImportJob._meta.get_field("file").storage
    try:
        folders, _files = storage.listdir("imports")
    except FileNotFoundError:
        return []
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted = []
    for folder in folders:
        for name in storage.listdir(f"imports/{folder}")[1]:
            path = f"imports/{folder}/{name}"
            if path not in named and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                deleted.append(path)
    return deleted
