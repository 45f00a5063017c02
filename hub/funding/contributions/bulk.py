"""Many new in-kind contributions at once, all or none: what the spreadsheet import writes with.

`contribution_create_many` validates each row as `contribution_create` does (the same `_build`,
with the field checks prepared once by `_BulkPlan`) and writes the rows in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import bulk, history
from hub.core.bulk import FieldChecks, RowError
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.common import ExistingKeys, KeyFilter, acts_for, check_partnership
from hub.funding.contributions.models import InKindContribution
from hub.funding.contributions.services import _RELATED, CLEAN_EXCLUDE, _build
from hub.funding.rates.models import RateBook


@dataclass(frozen=True)
class BulkResult:
    created: int
    skipped_existing: int  # rows whose import key was already there (or repeated in the input)


@dataclass
class _BulkPlan:
    """What _build prepares once for many rows: the field checks and the relation setter."""

    checks: FieldChecks
    relations: bulk.Relations

    @classmethod
    def for_contributions(cls) -> _BulkPlan:
        # What full_clean() looks at: every field but the primary key and the looked-up
        # relations.
        skip = {*CLEAN_EXCLUDE, "import_entry"}
        names = [
            f.name
            for f in InKindContribution._meta.concrete_fields
            if f.name not in skip and not f.primary_key
        ]
        return cls(
            checks=FieldChecks(InKindContribution, names),
            relations=bulk.Relations(InKindContribution, [*_RELATED, "valuation_rate"]),
        )


def contribution_existing_keys(
    *, receiving_organization: Organization, keys: Iterable[str]
) -> set[str]:
    """Which of `keys` the organization already holds (one query per 500 keys).

    A key "hub:<id>" (what exports write for records made in the hub) matches that record.
    """
    return _existing_keys(receiving_organization)(keys)


def _existing_keys(organization: Organization) -> ExistingKeys:
    return ExistingKeys(InKindContribution.objects.filter(receiving_organization=organization))


def import_entry_create(
    *, actor, organization: Organization, source: str, count: int = 0
) -> HistoryEntry:
    """The history entry of an import on the receiving organization ("imported", with the count of
    contributions and `source`, the file's name), to which every contribution it adds points."""
    return history.record_changes(
        actor=actor,
        model=Organization,
        object_id=organization.pk,
        object_repr=str(organization),
        action=HistoryEntry.Action.IMPORT,
        changes={"imported_contributions": [None, count], "source": [None, source]},
    )


def contribution_create_many(
    *,
    actor,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int = 1000,
    source: str = "",
    stage: Stage | None = None,
) -> BulkResult:
    """Record many contributions at once, all or none (the spreadsheet import uses this).

    Each row takes the fields of contribution_create and is validated the same way; the first bad
    row raises RowError (with its index) and nothing is written. Rows whose import_key the
    receiving organization already holds, or that repeat a key of an earlier row, are skipped,
    so importing the same file twice adds nothing.

    History: one entry per receiving organization (on the organization, action "imported", with
    the count and `source`, the file's name), and every new contribution points to it
    (`import_entry`), so its own history page shows who created it, when and from which file.
    One entry per row doubled the rows an import writes.

    Without `stage`, everything happens in one transaction. With a `stage`
    (hub.imports.stage), each batch goes to the staging table in a short transaction of
    its own and nothing is visible until the caller publishes the stage; a row may then also
    carry `new_donor` (the number of a donor the stage adds when it is published). The result
    counts the rows staged; the caller discards the stage if this raises.
    """
    if stage is not None:
        return _create_many(actor, rows, batch_size, source, stage)
    with transaction.atomic():
        return _create_many(actor, rows, batch_size, source, None)


class Stage(Protocol):
    def put(self, items: list[InKindContribution]) -> None: ...


def _create_many(
    actor,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int,
    source: str,
    stage: Stage | None,
) -> BulkResult:
    rates = RateBook()
    plan = _BulkPlan.for_contributions()
    blank = bulk.Blank(InKindContribution)
    allowed: dict[int, bool] = {}
    keys = KeyFilter(InKindContribution, "receiving_organization")
    entries: dict[int, tuple[HistoryEntry, list[int]]] = {}  # organization -> (entry, [count])
    created = skipped = 0
    batch: list[InKindContribution] = []

    def entry_for(organization: Organization) -> HistoryEntry:
        if organization.pk not in entries:
            entry = import_entry_create(actor=actor, organization=organization, source=source)
            entries[organization.pk] = (entry, [0])
        return entries[organization.pk][0]

    def flush() -> None:
        nonlocal created, skipped
        fresh, dropped = keys.fresh(batch)
        skipped += dropped
        if stage is None:
            for item in fresh:
                receiving_id = item.receiving_organization_id
                if receiving_id not in entries:
                    entry_for(item.receiving_organization)
                entry, count = entries[receiving_id]
                item.import_entry_id = entry.pk
                count[0] += 1
            bulk.insert(InKindContribution, fresh)
        elif fresh:
            stage.put(fresh)
        created += len(fresh)
        batch.clear()

    for index, fields in enumerate(rows):
        new_donor = None
        if stage is not None and "new_donor" in fields:
            fields = dict(fields)
            new_donor = fields.pop("new_donor")
        try:
            contribution = blank()
            _build(actor, contribution, fields, rates=rates, recompute=False, plan=plan)
            # By id: the relations are set (and cached) by _build; reading them back through
            # their descriptors cost more than the checks.
            receiving_id = contribution.receiving_organization_id
            if receiving_id not in allowed:
                receiving = contribution.receiving_organization
                allowed[receiving_id] = receiving is not None and acts_for(actor, receiving)
            if not allowed[receiving_id]:
                raise PermissionDenied(
                    _("You can record contributions only for organizations you edit for.")
                )
            if contribution.partnership_id is not None:
                check_partnership(
                    actor,
                    contribution.partnership,
                    contribution.receiving_organization,
                    rates.partnerships,
                )
        except (ValidationError, PermissionDenied) as exc:
            raise RowError(index, exc, refused="receiving_organization") from exc
        if stage is not None:
            contribution.__dict__["new_donor"] = new_donor
        batch.append(contribution)
        if len(batch) >= batch_size:
            flush()
    flush()
    if stage is None:
        for entry, (count,) in entries.values():
            entry.changes["imported_contributions"] = [None, count]
            entry.save(update_fields=["changes"])
    return BulkResult(created=created, skipped_existing=skipped)
