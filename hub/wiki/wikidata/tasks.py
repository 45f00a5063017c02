"""Background work of the Wikidata review queue, run by `manage.py db_worker`."""

from __future__ import annotations

from django.tasks import task

from hub.wiki.wikidata.models import ReconciliationRun
from hub.wiki.wikidata.services import reconciliation_run


@task
def reconcile_directory(run_id: int) -> int:
    """Look up the organizations of run `run_id` on Wikidata and queue the candidates for review
    (hub.wiki.wikidata.services.reconciliation_run); returns how many were looked up. Enqueued by
    `reconciliation_start`."""
    run = ReconciliationRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.status != ReconciliationRun.Status.QUEUED:
        return 0
    reconciliation_run(run)
    return run.done
