"""Every write to grants and their reporting deadlines. Pages, the import and the API call these
and nothing else.

Each is keyword-only, atomic, checks permission and records history (a deadline's change is
recorded on its grant). A grant's single-row rules are `Grant.clean()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.common import (
    acts_for,
    check_partnership,
    refuse_unknown,
    relinks,
    text,
)
from hub.funding.grants.models import Grant, ReportingDeadline
from hub.partnerships.models import Partnership

if TYPE_CHECKING:
    from hub.funding.grants.bulk import GrantChecker

GRANT_FIELDS = [
    "title",
    "funder",
    "recipient",
    "partnership",
    "amount",
    "currency",
    "restricted",
    "restriction",
    "period_start",
    "period_end",
    "status",
    "description",
    "confidential",
]
GRANT_INPUT = [*GRANT_FIELDS, "import_key"]
_GRANT_INPUT = frozenset(GRANT_INPUT)
_RELATED = ("funder", "recipient", "partnership")
# Validated by Grant.clean() and check_partnership (looked up, not typed in).
CLEAN_EXCLUDE = list(_RELATED)


def _grant_snapshot(grant: Grant, *, new: bool = False) -> history.Snapshot:
    """What a grant's history records of it; a `new` one has no deadlines to read."""
    return history.snapshot(
        grant,
        GRANT_FIELDS,
        deadlines=[
            f"{d.due_date.isoformat()} {d.description}{' ✓' if d.done else ''}"
            for d in grant.deadlines.order_by("due_date", "pk")
        ]
        if grant.pk and not new
        else [],
    )


def _check_grant(
    actor, grant: Grant, *, relinked: bool = True, plan: GrantChecker | None = None
) -> None:
    """Tidy and validate a grant (the model's rules, and the partnership rule when `relinked`).
    `plan` (for many rows) checks the fields as full_clean() would, prepared once, and remembers
    the partnerships' answers."""
    grant.currency = text(grant.currency).upper()
    grant.title = text(grant.title)
    grant.restriction = text(grant.restriction) if grant.restricted else ""
    if plan is None:
        grant.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False)
    else:
        # Without full_clean()'s constraint checks (a query each): the amount's validator and
        # Grant.clean() say what the check constraints would, on the same fields.
        errors = plan.checks.check_and_clean(grant)
        if errors:
            raise ValidationError(errors)
    if relinked:
        check_partnership(
            actor, grant.partnership, grant.recipient, None if plan is None else plan.partnerships
        )


def _new_grant(actor, fields: Mapping[str, Any], *, plan: GrantChecker | None = None) -> Grant:
    """An unsaved grant of `fields` (grant_create's arguments), with grant_create's checks but
    the import key's: grant_create refuses a key the recipient holds, an import skips its row.
    Raises PermissionDenied, or ValidationError keyed by field."""
    refuse_unknown(fields, _GRANT_INPUT, _("This field cannot be set here."))
    recipient = fields.get("recipient")
    if not (plan.acts_for(recipient) if plan is not None else acts_for(actor, recipient)):
        raise PermissionDenied(_("You can record grants only for organizations you edit for."))
    grant = plan.blank() if plan is not None else Grant()
    # Relations many rows share are set by the plan, which checks each related object once.
    relate = plan.relations.set if plan is not None else setattr
    for name, value in fields.items():
        if name == "import_key":
            value = value or None
        (relate if name in _RELATED else setattr)(grant, name, value)
    _check_grant(actor, grant, plan=plan)
    return grant


@transaction.atomic
def grant_create(
    *,
    actor,
    title: str,
    funder: Organization,
    recipient: Organization,
    amount: Decimal,
    currency: str,
    status: str = Grant.Status.PROSPECT,
    partnership: Partnership | None = None,
    restricted: bool = False,
    restriction: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    description: str = "",
    confidential: bool = False,
    import_key: str | None = None,
) -> Grant:
    """Record a grant or other cash support to a movement organization the actor edits for.
    Many at once (an import): hub.funding.grants.bulk.grant_create_many."""
    grant = _new_grant(
        actor,
        {
            "title": title,
            "funder": funder,
            "recipient": recipient,
            "amount": amount,
            "currency": currency,
            "status": status,
            "partnership": partnership,
            "restricted": restricted,
            "restriction": restriction,
            "period_start": period_start,
            "period_end": period_end,
            "description": description,
            "confidential": confidential,
            "import_key": import_key,
        },
    )
    if import_key and Grant.objects.filter(recipient=recipient, import_key=import_key).exists():
        raise ValidationError({"import_key": _("This row was imported before.")})
    grant.save()
    history.record(
        actor=actor, instance=grant, action=HistoryEntry.Action.CREATE, after=_grant_snapshot(grant)
    )
    return grant


def _lock_grant(actor, grant: Grant, expected_version: int | None = None) -> Grant:
    return lock_for_edit(
        Grant.objects.editable_by(actor),
        grant.pk,
        expected_version,
        refusal=_("You cannot edit this grant."),
    )


@transaction.atomic
def grant_update(
    *, actor, grant: Grant, expected_version: int | None = None, **fields: Any
) -> Grant:
    """Change a grant (its status too); fields left out keep their values."""
    refuse_unknown(fields, set(GRANT_FIELDS), _("This field cannot be changed here."))
    locked = _lock_grant(actor, grant, expected_version)
    before = _grant_snapshot(locked)
    new_recipient = fields.get("recipient", locked.recipient)
    if new_recipient.pk != locked.recipient_id and not acts_for(actor, new_recipient):
        raise ValidationError(
            {"recipient": _("You can move it only to an organization you edit for.")}
        )
    relinked = relinks(locked, fields, "recipient")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_grant(actor, locked, relinked=relinked)
    save_change(actor, locked, before, _grant_snapshot(locked))
    return locked


def _deadline_change(actor, grant: Grant, change) -> Any:
    locked = _lock_grant(actor, grant)
    before = _grant_snapshot(locked)
    result = change(locked)
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=_grant_snapshot(locked),
    )
    return result


def _check_deadline(deadline: ReportingDeadline) -> None:
    deadline.description = text(deadline.description)
    deadline.full_clean(exclude=["grant"])


@transaction.atomic
def deadline_create(
    *, actor, grant: Grant, due_date: datetime.date, description: str
) -> ReportingDeadline:
    """Add a reporting deadline to a grant (recorded in the grant's history)."""

    def change(locked: Grant) -> ReportingDeadline:
        deadline = ReportingDeadline(grant=locked, due_date=due_date, description=description)
        _check_deadline(deadline)
        deadline.save()
        return deadline

    return _deadline_change(actor, grant, change)


@transaction.atomic
def deadline_update(*, actor, deadline: ReportingDeadline, **fields: Any) -> ReportingDeadline:
    """Change a deadline's date or description."""
    refuse_unknown(fields, {"due_date", "description"}, _("This field cannot be changed here."))

    def change(locked: Grant) -> ReportingDeadline:
        for name, value in fields.items():
            setattr(deadline, name, value)
        _check_deadline(deadline)
        deadline.save()
        return deadline

    return _deadline_change(actor, deadline.grant, change)


@transaction.atomic
def deadline_set_done(
    *, actor, deadline: ReportingDeadline, done: bool = True
) -> ReportingDeadline:
    """Tick a deadline off (or reopen it)."""

    def change(locked: Grant) -> ReportingDeadline:
        deadline.done = done
        deadline.done_at = timezone.now() if done else None
        deadline.save(update_fields=["done", "done_at"])
        return deadline

    return _deadline_change(actor, deadline.grant, change)


@transaction.atomic
def deadline_delete(*, actor, deadline: ReportingDeadline) -> None:
    """Remove a deadline entered by mistake (the grant's history keeps it)."""
    _deadline_change(actor, deadline.grant, lambda locked: deadline.delete())
