"""Background work of the network map, run by `manage.py db_worker`: computing a snapshot."""

from __future__ import annotations

from django.tasks import task

from hub.alliances.network import services


@task
def compute_network(snapshot_id: int) -> None:
    """Compute the network snapshot `snapshot_id` (queued by services.snapshot_request); its
    progress is written on the snapshot as it goes, for the page to show."""
    services.snapshot_compute(snapshot_id=snapshot_id)
