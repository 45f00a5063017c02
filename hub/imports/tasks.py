"""Background work of the spreadsheet import: checking and importing large files.

Small files are handled during the request; files over BACKGROUND_ROWS rows go to the task queue
(django.tasks with the database backend; `manage.py db_worker` runs them, `make run` starts it).
The job's `progress` field is what the page polls; every change of its status is a step of
hub/imports/jobs.py.

Queued rows name the task by its dotted path; those queued before the import had its own package
name `hub.funding.tasks.process_import_job`, which hub/funding/tasks.py keeps importable.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.imports import jobs, stage
from hub.imports.engine import BACKGROUND_ROWS, ImportOptions, ImportResult
from hub.imports.kinds import kind_of
from hub.imports.models import ImportJob

logger = logging.getLogger(__name__)
PREVIEW, IMPORT = "preview", "import"


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

    def progress(rows: int) -> None:
        jobs.job_progress(job_id, status, rows=rows, percent=min(99, int(rows * 100 / total)))

    def written(result: ImportResult) -> None:
        # in the transaction that makes the rows visible: the job and its rows change together
        jobs.job_done(job_id, result=result.to_json(), rows=result.rows)

    if not job.file:
        jobs.job_fail(
            job_id, status, error=_("The uploaded file is no longer there; upload it again.")
        )
        return
    kind = kind_of(job)
    try:
        result = kind.run(
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
            run=stage.job_run(job_id),
            written=written if write else None,
            **kind.job_options(job),
        )
    except jobs.Abandoned:
        logger.warning("import job %s was marked failed while it ran; stopped", job_id)
        return
    except Exception:
        logger.exception("import job %s failed", job_id)
        jobs.job_fail(
            job_id, status, error=_("The file could not be processed. Nothing was imported.")
        )
        return
    if write and result.imported:
        jobs.job_file_delete(job)  # `written` marked it done
        return
    # checked, or imported nothing: back to the preview, which now shows why
    outcome = result.to_json()
    jobs.job_previewed(
        job_id, status, preview=outcome, rows=result.rows, result=outcome if write else None
    )


@task()
def process_import_job(job_id: int, phase: str, actor_id: int) -> None:
    run_job(job_id, phase, actor_id)


def start(job: ImportJob, phase: str, actor, *, skip_invalid: bool | None = None) -> bool:
    """Run now when the file is small, else queue it; True when it was queued.

    The job is claimed with one conditional UPDATE (jobs.job_preview_start / job_import_start),
    so of two requests that confirm (or check) the same job at once only one starts it; the other
    gets jobs.AlreadyRunning."""
    if phase == IMPORT:
        jobs.job_import_start(job, skip_invalid=skip_invalid)
    else:
        jobs.job_preview_start(job)
    if job.estimated_rows > BACKGROUND_ROWS:
        queued = process_import_job.enqueue(job.pk, phase, actor.pk)
        jobs.job_queued(job, task_id=str(queued.id))
        return True
    run_job(job.pk, phase, actor.pk)
    return False
