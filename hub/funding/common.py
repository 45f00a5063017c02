"""What the funding sub-domains share when they write and answer: the partnership rule of contributions and grants, text tidying and the pages' small helpers.

Use these from any funding sub-package; they import no sub-package's services or views.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hub.core import bulk
from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def text(value: Any) -> str:
    """A text input as the services store it: stripped, and "" for None."""
    return "" if value is None else str(value).strip()


def acts_for(actor, organization: Organization | None) -> bool:
    """Whether `actor` edits for `organization` (asked of Organization.objects.editable_by)."""
    return (
        organization is not None
        and Organization.objects.editable_by(actor).filter(pk=organization.pk).exists()
    )


def check_partnership(
    actor,
    partnership: Partnership | None,
    organization: Organization | None,
    seen: dict[tuple[int, int], bool] | None = None,
) -> None:
    """Refuse a partnership the actor may not see or that `organization` (the one that received
    the support) takes no part in: the pages offer only those, and the API and the import are
    held to the same rule here. One answer for both, so it never tells that a partnership exists.
    `seen` remembers the answers (for many rows)."""
    if partnership is None or organization is None:
        return
    seen = {} if seen is None else seen
    key = (partnership.pk, organization.pk)
    if key not in seen:
        seen[key] = (
            Partnership.objects.visible_to(actor)
            .with_organization([organization.pk])
            .filter(pk=partnership.pk)
            .exists()
        )
    if not seen[key]:
        raise ValidationError(
            {
                "partnership": _("Choose a partnership that %(org)s takes part in.")
                % {"org": organization}
            }
        )


class ExistingKeys:
    """Which import keys the records of `held` (one organization's contributions, or grants)
    already hold: `existing(keys)` gives them, a query per 500 keys. A key "hub:<id>" (what
    exports write for records made in the hub) matches that record. An import asks again for
    each batch of rows; the queries are written once."""

    def __init__(self, held: models.QuerySet) -> None:
        # Ordered by the key so that SQLite reads the (organization, key) unique index: its
        # statistics count the many rows without a key as one value, and it would otherwise
        # scan every record of the organization (82 ms a batch at 100,000 contributions).
        self.by_key = bulk.ValuesIn(held.order_by("import_key"), "import_key")
        self.by_id = bulk.ValuesIn(held.order_by(), "pk")

    def __call__(self, keys: Iterable[str]) -> set[str]:
        keys = list(dict.fromkeys(k for k in keys if k))
        found = set(self.by_key(keys))
        ids = {int(k[4:]): k for k in keys if k.startswith("hub:") and k[4:].isdigit()}
        if ids:
            found.update(ids[pk] for pk in self.by_id(list(ids)))
        return found


class KeyFilter:
    """Of many new records of `model` (a batch at a time), those to write: a record whose import
    key its organization (the foreign key `organization_field`) already holds, or that an earlier
    record of the same write repeats, is left out and counted, so importing a file twice adds
    nothing. Records without a key are all kept."""

    def __init__(self, model: type[models.Model], organization_field: str) -> None:
        self.model, self.attname = model, f"{organization_field}_id"
        self.lookups: dict[int, ExistingKeys] = {}
        self.seen: dict[int, set[str]] = {}

    def fresh(self, items: Sequence[Any]) -> tuple[list[Any], int]:
        """The records to write, in the order of `items`, and how many were left out."""
        by_org: dict[int, list[Any]] = {}
        for item in items:
            by_org.setdefault(getattr(item, self.attname), []).append(item)
        left_out: set[int] = set()
        for org_id, group in by_org.items():
            if org_id not in self.lookups:
                held = self.model._default_manager.filter(**{self.attname: org_id})
                self.lookups[org_id] = ExistingKeys(held)
            existing = self.lookups[org_id]([i.import_key for i in group if i.import_key])
            keys = self.seen.setdefault(org_id, set())
            for item in group:
                if item.import_key and (item.import_key in existing or item.import_key in keys):
                    left_out.add(id(item))
                elif item.import_key:
                    keys.add(item.import_key)
        fresh = [item for item in items if id(item) not in left_out]
        return fresh, len(left_out)


def relinks(record, fields: dict[str, Any], organization_field: str) -> bool:
    """Whether an update links another partnership, or moves the record to another
    organization (whose partnerships are checked again); a link left as it was is kept."""
    return ("partnership" in fields and fields["partnership"] != record.partnership) or (
        organization_field in fields
        and getattr(fields[organization_field], "pk", None)
        != getattr(record, f"{organization_field}_id")
    )


def refuse_unknown(fields: Mapping[str, Any], allowed: set[str] | frozenset[str], message) -> None:
    """A ValidationError naming each field of `fields` a service does not take."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, message))


# --------------------------------------------------------------------------- pages


def htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


def stale_message() -> str:
    return _(
        "Someone else saved this record while you were editing it. "
        "Open it again to see their changes, then make yours."
    )
