"""Every write to grants and their reporting deadlines. Pages, the import and the API call these
and nothing else.

Each is keyword-only, atomic, checks permission and records history (a deadline's change is
recorded on its grant). A grant's single-row rules are `Grant.clean()`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

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


def _grant_snapshot(grant: Grant) -> history.Snapshot:
    return history.snapshot(
        grant,
        GRANT_FIELDS,
        deadlines=[
            f"{d.due_date.isoformat()} {d.description}{' ✓' if d.done else ''}"
            for d in grant.deadlines.order_by("due_date", "pk")
        ]
        if grant.pk
        else [],
    )


def _check_grant(actor, grant: Grant, *, relinked: bool = True) -> None:
    grant.currency = text(grant.currency).upper()
    grant.title = text(grant.title)
    grant.restriction = text(grant.restriction) if grant.restricted else ""
    grant.full_clean(exclude=["funder", "recipient", "partnership"], validate_unique=False)
    if relinked:
        check_partnership(actor, grant.partnership, grant.recipient)


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
    """Record a grant or other cash support to a movement organization the actor edits for."""
    if not acts_for(actor, recipient):
        raise PermissionDenied(_("You can record grants only for organizations you edit for."))
    grant = Grant(
        title=title,
        funder=funder,
        recipient=recipient,
        amount=amount,
        currency=currency,
        status=status,
        partnership=partnership,
        restricted=restricted,
        restriction=restriction,
        period_start=period_start,
        period_end=period_end,
        description=description,
        confidential=confidential,
        import_key=import_key or None,
    )
    _check_grant(actor, grant)
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
