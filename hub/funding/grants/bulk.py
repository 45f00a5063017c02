"""Many new grants at once, all or none: what the spreadsheet import of grants writes with.

`GrantChecker` holds a new grant to the rules `grant_create` holds it to (the same `_new_grant`:
the recipient one the actor edits for, `_check_grant`, the partnership rule), with the field
checks prepared once and each recipient's and partnership's answer asked once;
`grant_create_many` writes the checked rows in batches, skipping the rows already imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hub.core import bulk, history
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.common import ExistingKeys, KeyFilter, acts_for
from hub.funding.grants.models import Grant
from hub.funding.grants.services import _RELATED, CLEAN_EXCLUDE, _grant_snapshot, _new_grant

# What grant_create's full_clean() looks at: every field but the primary key and the relations.
_CHECKED = [
    f.name for f in Grant._meta.concrete_fields if f.name not in CLEAN_EXCLUDE and not f.primary_key
]


@dataclass(frozen=True)
class BulkCreated:
    ids: list[int]  # of the grants written, in the order of their rows
    skipped: int  # rows whose import key the recipient already held (or an earlier row gave)


class GrantChecker:
    """Checks new grants as grant_create would (acts_for recipient, _check_grant,
    check_partnership), with what it needs read once: the field checks, and whether the actor
    edits for each recipient and may link each partnership. It does not look the import key up
    (grant_existing_keys does, a batch at a time)."""

    def __init__(self, actor) -> None:
        self.actor = actor
        self.checks = bulk.FieldChecks(Grant, _CHECKED)
        self.relations = bulk.Relations(Grant, _RELATED)
        self.blank = bulk.Blank(Grant)
        self.acting: dict[int, bool] = {}
        self.partnerships: dict[tuple[int, int], bool] = {}

    def check(self, fields: Mapping[str, Any]) -> None:
        """Raises ValidationError keyed by field, or PermissionDenied, as grant_create would for
        `fields` (its keyword arguments), but for an import key the recipient already holds."""
        self.build(fields)

    def build(self, fields: Mapping[str, Any]) -> Grant:
        """The checked grant of `fields`, not saved."""
        return _new_grant(self.actor, fields, plan=self)

    def acts_for(self, recipient: Organization | None) -> bool:
        """acts_for(actor, recipient), asked once per recipient."""
        if recipient is None:
            return False
        if recipient.pk not in self.acting:
            self.acting[recipient.pk] = acts_for(self.actor, recipient)
        return self.acting[recipient.pk]


def grant_existing_keys(*, recipient: Organization, keys: Iterable[str]) -> set[str]:
    """Which of `keys` the recipient's grants already hold (one query per 500 keys); a key
    "hub:<id>" (what exports write for records made in the hub) matches that grant."""
    return ExistingKeys(Grant.objects.filter(recipient=recipient))(keys)


def grant_create_many(
    *,
    actor,
    rows: Iterable[Mapping[str, Any]],
    history_changes: dict[str, list[Any]] | None = None,
    batch_size: int = 2000,
) -> BulkCreated:
    """Record many grants at once, all or none: for imports. Each row takes grant_create's
    arguments and is checked as it checks them; the first bad row raises RowError (with its
    index; a recipient the actor does not edit for is keyed by `recipient`) and nothing is
    written. A row whose import key its recipient already holds, or that repeats the key of an
    earlier row, is skipped and counted, so importing the same file twice adds nothing.

    Each grant gets one history entry, "imported", with what grant_create records and
    `history_changes` (such as the file: {"source": [None, name]}).
    """
    checker = GrantChecker(actor)
    keys = KeyFilter(Grant, "recipient")
    created: list[Grant] = []
    skipped = 0
    batch: list[Grant] = []

    def flush() -> None:
        nonlocal skipped
        fresh, dropped = keys.fresh(batch)
        skipped += dropped
        created.extend(Grant.objects.bulk_create(fresh))
        batch.clear()

    with transaction.atomic():
        for index, fields in enumerate(rows):
            try:
                batch.append(checker.build(fields))
            except (ValidationError, PermissionDenied) as exc:
                raise bulk.RowError(index, exc, refused="recipient") from exc
            if len(batch) >= batch_size:
                flush()
        flush()
        history.record_many(
            actor=actor,
            instances=created,
            action=HistoryEntry.Action.IMPORT,
            afters=(_grant_snapshot(grant, new=True) for grant in created),
            extra=history_changes,
        )
    return BulkCreated(ids=[grant.pk for grant in created], skipped=skipped)
