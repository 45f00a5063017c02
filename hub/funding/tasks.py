"""Background work of the spreadsheet import: checking and importing large files.

Small files are handled during the request; files over importing.BACKGROUND_ROWS rows go to the
task queue (django.tasks with the database backend; `manage.py db_worker` runs them, `make run`
starts it). The job's `progress` field is what the page polls.
"""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.funding.importing import BACKGROUND_ROWS, ImportOptions, run_import
from hub.funding.models import ImportJob

logger = logging.getLogger(__name__)
PREVIEW, IMPORT = "preview", "import"


def run_job(job_id: int, phase: str, actor_id: int) -> None:
    """Check (phase 'preview') or import (phase 'import') the file of one job, recording the
    outcome and progress on the job. Safe to call in a request or in the worker."""
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    actor = User.objects.get(pk=actor_id)
    total = max(job.estimated_rows, 1)

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            rows_done=rows, progress=min(99, int(rows * 100 / total)), updated_at=timezone.now()
        )

    write = phase == IMPORT
    if not job.file:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=_("The uploaded file is no longer there; upload it again."),
            progress=100,
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
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=_("The file could not be processed. Nothing was imported."),
            progress=100,
        )
        return
    job.refresh_from_db()
    job.progress = 100
    job.rows_done = result.rows
    if write:
        job.result = result.to_json()
        if result.imported:
            job.status = ImportJob.Status.DONE
            job.file.delete(save=False)
        else:
            # the file changed nothing: back to the preview, which now shows why
            job.status = ImportJob.Status.PREVIEWED
            job.preview = result.to_json()
    else:
        job.preview = result.to_json()
        job.status = ImportJob.Status.PREVIEWED
    job.save()


@task()
def process_import_job(job_id: int, phase: str, actor_id: int) -> None:
    run_job(job_id, phase, actor_id)


def start(job: ImportJob, phase: str, actor) -> bool:
    """Run now when the file is small, else queue it; True when it was queued."""
    job.status = ImportJob.Status.IMPORTING if phase == IMPORT else ImportJob.Status.PREVIEWING
    job.progress = 0
    job.rows_done = 0
    job.error = ""
    job.save(update_fields=["status", "progress", "rows_done", "error", "updated_at"])
    if job.estimated_rows > BACKGROUND_ROWS:
        process_import_job.enqueue(job.pk, phase, actor.pk)
        return True
    run_job(job.pk, phase, actor.pk)
    return False


def fail_if_stale(job: ImportJob) -> ImportJob:
    """Mark a job whose worker died (no progress for ImportJob.STALE_AFTER) as failed, so its page
    says so and the person can check the file again instead of waiting forever."""
    if job.stale:
        ImportJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
            status=ImportJob.Status.FAILED,
            error=_(
                "The work on this file stopped before it finished (its worker ended). "
                "Nothing was imported; check the file again to restart."
            ),
            progress=100,
            updated_at=timezone.now(),
        )
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
