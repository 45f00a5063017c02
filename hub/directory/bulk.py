"""Many new organizations at once, all or none: what the spreadsheet imports write with (a file of
organizations, and the partner organizations a partnerships file names that the directory lacks).

`OrganizationChecker` holds a new organization to the rules `organization_create` holds it to
(`services.check_new_organization`, then the model's own, checked by `FieldChecks` as full_clean()
checks them), with what that needs read from the database once for all rows;
`organization_create_many` writes the checked rows in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction

from hub.core import bulk, history, search
from hub.core.models import HistoryEntry
from hub.directory.access import may_create
from hub.directory.models import Organization
from hub.directory.services import ORG_FIELDS, check_new_organization

# What organization_create's full_clean() looks at: every field but the primary key.
_CHECKED = [f.name for f in Organization._meta.concrete_fields if not f.primary_key]


class OrganizationChecker:
    """Checks new organizations as organization_create would (may_create, movement kinds only by
    staff, full_clean incl. short_code/wikidata/website rules), with what it needs read once.

    One checker serves one pass over the rows: a short code is taken by the first row that
    gives it, so a later row of the same pass that gives it again is refused as one the
    directory holds would be. The short codes the directory holds are read once, at the first
    row that gives one (they are the affiliates' codes: a few hundred).
    """

    def __init__(self, actor) -> None:
        self.actor = actor
        self.allowed = may_create(actor)
        self.checks = bulk.FieldChecks(Organization, _CHECKED)
        self.blank = bulk.Blank(Organization)
        self.taken: set[str] | None = None

    def check(self, fields: Mapping[str, Any]) -> None:
        """Raises ValidationError keyed by field, or PermissionDenied, as organization_create
        would for `fields` (its keyword arguments)."""
        self.build(fields)

    def build(self, fields: Mapping[str, Any]) -> Organization:
        """The checked organization of `fields`, not saved (its values cleaned as full_clean()
        leaves them)."""
        fields = dict(fields)
        check_new_organization(self.actor, fields, allowed=self.allowed)
        organization = self.blank()
        for name, value in fields.items():
            setattr(organization, name, value)
        errors = self.checks.check_and_clean(organization)
        code = organization.short_code
        # As full_clean(): the unique check only for a short code that passed its own checks.
        if code is not None and "short_code" not in errors:
            if self.taken is None:
                held = Organization.objects.exclude(short_code=None)
                self.taken = set(filter(None, held.values_list("short_code", flat=True)))
            if code in self.taken:
                unique = organization.unique_error_message(Organization, ("short_code",))
                errors["short_code"] = [unique]
        if errors:
            raise ValidationError(errors)
        if code is not None:
            self.taken.add(code)  # type: ignore[union-attr]
        return organization

    def refused_field(self) -> str:
        """The field a PermissionDenied of this checker is about: the kind (only staff add
        movement organizations), unless the actor may add none at all."""
        return "kind" if self.allowed else NON_FIELD_ERRORS


def organization_create_many(
    *,
    actor,
    rows: Iterable[Mapping[str, Any]],
    history_changes: dict[str, list[Any]] | None = None,
    batch_size: int = 2000,
) -> list[Organization]:
    """Add many organizations to the directory at once, all or none: for imports. Each row takes
    the fields organization_create takes and is checked as it checks them; the first bad row
    raises RowError (with its index, a refusal of permission keyed by `kind` or, when the actor
    may add no organization, by the whole row) and nothing is written. Call it inside the
    transaction that uses the organizations.

    Each organization gets one history entry, "imported", with what organization_create records
    and `history_changes` (such as the file: {"source": [None, name]}). Returns the organizations
    saved, with their ids, in the order of the rows.
    """
    checker = OrganizationChecker(actor)
    created: list[Organization] = []
    batch: list[Organization] = []
    with transaction.atomic():
        for index, fields in enumerate(rows):
            try:
                batch.append(checker.build(fields))
            except (ValidationError, PermissionDenied) as exc:
                raise bulk.RowError(index, exc, refused=checker.refused_field()) from exc
            if len(batch) >= batch_size:
                created.extend(Organization.objects.bulk_create(batch))
                batch = []
        created.extend(Organization.objects.bulk_create(batch))
        history.record_many(
            actor=actor,
            instances=created,
            action=HistoryEntry.Action.IMPORT,
            afters=(history.snapshot(o, ORG_FIELDS) for o in created),
            extra=history_changes,
        )
        search.index_many(Organization, [organization.pk for organization in created])
    return created
