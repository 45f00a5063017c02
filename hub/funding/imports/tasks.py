"""Background work of the spreadsheet import: checking and importing large files.

Small files are handled during the request; files over importing.BACKGROUND_ROWS rows go to the
task queue (django.tasks with the database backend; `manage.py db_worker` runs them, `make run`
starts it). The job's `progress` field is what the page polls.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from hub.accounts.models import User
from hub.funding.imports import stage as import_stage
from hub.funding.imports.engine import BACKGROUND_ROWS, ImportOptions, ImportResult, run_import
from hub.funding.models import ImportJob

logger = logging.getLogger(__name__)
PREVIEW, IMPORT = "preview", "import"


class AlreadyRunning(Exception):
    """The job is already being checked or imported (by another request, or its worker)."""


class _Abandoned(Exception):
    """The job is no longer this run's: it was found stale and marked failed meanwhile."""


# The states from which each phase may start: a file is checked again after a failure, and
# imported only once checked.
STARTS_FROM = {
    PREVIEW: (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED),
    IMPORT: (ImportJob.Status.PREVIEWED,),
}


def run_job(job_id: int, phase: str, actor_id: int) -> None:
    """Check (phase 'preview') or import (phase 'import') the file of one job, recording the
    outcome and progress on the job. Safe to call in a request or in the worker.

    Progress is written as the rows go (each batch of an import commits on its own), and renews
    the job's lease (ImportJob.STALE_AFTER); a run whose job was meanwhile marked failed stops."""
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    actor = User.objects.get(pk=actor_id)
    total = max(job.estimated_rows, 1)
    write = phase == IMPORT
    status = ImportJob.Status.IMPORTING if write else ImportJob.Status.PREVIEWING
    mine = ImportJob.objects.filter(pk=job_id, status=status)

    def progress(rows: int) -> None:
        percent = min(99, int(rows * 100 / total))
        if not mine.update(rows_done=rows, progress=percent, updated_at=timezone.now()):
            raise _Abandoned

    def written(result: ImportResult) -> None:
        # in the transaction that makes the rows visible: the job and its rows change together
        done = mine.update(
            status=ImportJob.Status.DONE,
            result=result.to_json(),
            rows_done=result.rows,
            progress=100,
            updated_at=timezone.now(),
        )
        if not done:
            raise _Abandoned

    if not job.file:
        mine.update(
            status=ImportJob.Status.FAILED,
            error=_("The uploaded file is no longer there; upload it again."),
            progress=100,
            updated_at=timezone.now(),
        )
        return
    try:
        result = run_import(
            job.file.path,
            organization=job.organization,
            actor=actor,
            name=job.original_name,
            mapping=job.mapping,
            skip_invalid=job.skip_invalid,
            write=write,
            options=ImportOptions(default_currency=job.default_currency, day_first=job.day_first),
            progress=progress,
            sheet=job.sheet or None,
            run=import_stage.job_run(job_id),
            written=written if write else None,
        )
    except _Abandoned:
        logger.warning("import job %s was marked failed while it ran; stopped", job_id)
        return
    except Exception:
        logger.exception("import job %s failed", job_id)
        mine.update(
            status=ImportJob.Status.FAILED,
            error=_("The file could not be processed. Nothing was imported."),
            progress=100,
            updated_at=timezone.now(),
        )
        return
    if write and result.imported:
        job.file.delete(save=False)  # `written` marked it done
        ImportJob.objects.filter(pk=job_id).update(file="")
        return
    # checked, or imported nothing: back to the preview, which now shows why
    outcome = result.to_json()
    changes: dict = {"result": outcome} if write else {}
    mine.update(
        status=ImportJob.Status.PREVIEWED,
        preview=outcome,
        progress=100,
        rows_done=result.rows,
        updated_at=timezone.now(),
        **changes,
    )


@task()
def process_import_job(job_id: int, phase: str, actor_id: int) -> None:
    run_job(job_id, phase, actor_id)


def start(job: ImportJob, phase: str, actor, *, skip_invalid: bool | None = None) -> bool:
    """Run now when the file is small, else queue it; True when it was queued.

    The job is claimed with one conditional UPDATE, so of two requests that confirm (or check)
    the same job at once only one starts it; the other gets AlreadyRunning."""
    status = ImportJob.Status.IMPORTING if phase == IMPORT else ImportJob.Status.PREVIEWING
    changes = {"skip_invalid": skip_invalid} if skip_invalid is not None else {}
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=STARTS_FROM[phase]).update(
        status=status,
        progress=0,
        rows_done=0,
        error="",
        task_id="",
        updated_at=timezone.now(),
        **changes,
    )
    if not claimed:
        raise AlreadyRunning
    job.refresh_from_db()
    if job.estimated_rows > BACKGROUND_ROWS:
        queued = process_import_job.enqueue(job.pk, phase, actor.pk)
        ImportJob.objects.filter(pk=job.pk, status=status).update(task_id=str(queued.id))
        return True
    run_job(job.pk, phase, actor.pk)
    return False


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
        failed = ImportJob.objects.filter(
            pk=job.pk, status=job.status, updated_at=job.updated_at
        ).update(
            status=ImportJob.Status.FAILED,
            error=_(
                "The work on this file stopped before it finished (its worker ended). "
                "Nothing was imported; check the file again to restart."
            ),
            progress=100,
            updated_at=timezone.now(),
        )
        if failed:
            import_stage.discard_run(import_stage.job_run(job.pk))
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
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=job.status, updated_at=job.updated_at
        ).update(status=ImportJob.Status.DISCARDED, file="", updated_at=now)
        if claimed:
            discarded += 1
            if job.file:
                job.file.delete(save=False)
    for job in ImportJob.objects.filter(status=ImportJob.Status.DONE).exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    import_stage.discard_old(now=now)
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
