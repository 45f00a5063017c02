"""Editing a versioned record: the one place that says "lock the row and compare the version",
and the one that saves a change with the next version and its history entry.

Every update service of a versioned record (partnerships, contributions, grants, valuation rates)
starts here, so a stale edit is refused the same way in pages, the API and scripts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from hub.core import history
from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry


def lock_for_edit[M: models.Model](
    editable: models.QuerySet[M], pk: int, expected_version: int | None, *, refusal: str
) -> M:
    """The row `pk`, locked until the end of the transaction, once `editable` (the QuerySet of
    what the actor may change, e.g. `Grant.objects.editable_by(actor)`) is known to hold it.

    Raises PermissionDenied(refusal) when the actor may not change it, and StaleVersionError when
    `expected_version` is given and the row has moved on since. The lock is taken on the bare
    table (no join): MySQL and MariaDB cannot lock only one side of a join.
    """
    if not editable.filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    locked = editable.model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:  # type: ignore[attr-defined]
        raise StaleVersionError(locked.version)  # type: ignore[attr-defined]
    return locked


def save_change(
    actor, instance: models.Model, before: history.Snapshot, after: history.Snapshot
) -> bool:
    """The end of an update service: a record whose snapshot changed is saved with the next
    version and its history entry; an unchanged one is left as it is (no new version, no entry).
    Returns whether it changed."""
    if not history.diff(before, after):
        return False
    instance.version += 1  # type: ignore[attr-defined]
    instance.save()
    history.record(
        actor=actor,
        instance=instance,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=after,
    )
    return True
