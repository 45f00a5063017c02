"""Who may reach an import job: the one helper the import pages fetch a job through."""

from __future__ import annotations

from django.http import Http404

from hub.imports import jobs
from hub.imports.models import ImportJob


def get_import_job_for(user, pk: int) -> ImportJob:
    """The job if `user` edits for its organization (ImportJob.objects.editable_by; staff: any),
    else 404: a job is its organization's editors' alone, so there is no "see but not change".
    A running job whose worker died is marked failed on the way (jobs.fail_if_stale)."""
    job = ImportJob.objects.editable_by(user).select_related("organization").filter(pk=pk).first()
    if job is None:
        raise Http404
    return jobs.fail_if_stale(job)
