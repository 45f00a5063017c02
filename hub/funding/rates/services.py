"""Every write to valuation rates. Pages, the API and the demo call these and nothing else.

Each is keyword-only, atomic, checks permission and records history. A rate's single-row rule
is `ValuationRate.clean()`; the rules across rows (overlapping periods, contributions valued
with it) are here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.editing import lock_for_edit
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.choices import ValueSource
from hub.funding.common import acts_for, refuse_unknown
from hub.funding.contributions.services import contributions_revalue
from hub.funding.rates.models import ValuationRate

RATE_FIELDS = ["organization", "category", "unit", "amount", "currency", "valid_from", "valid_to"]
RATE_INPUT = [*RATE_FIELDS, "note"]


def _rate_snapshot(rate: ValuationRate) -> history.Snapshot:
    return history.snapshot(rate, RATE_INPUT)


def _check_rate(rate: ValuationRate) -> None:
    rate.currency = (rate.currency or "").strip().upper()
    rate.full_clean(exclude=["organization"], validate_unique=False)


def _close_or_refuse_overlaps(actor, rate: ValuationRate) -> None:
    """A new rate ends an open-ended earlier one the day before; any other overlap is refused."""
    others = ValuationRate.objects.select_for_update().filter(
        organization=rate.organization, category=rate.category, unit=rate.unit
    )
    if rate.pk:
        others = others.exclude(pk=rate.pk)
    for other in others:
        end = rate.valid_to or datetime.date.max
        other_end = other.valid_to or datetime.date.max
        if other.valid_from > end or other_end < rate.valid_from:
            continue
        if other.valid_to is None and other.valid_from < rate.valid_from and not rate.pk:
            before = _rate_snapshot(other)
            other.valid_to = rate.valid_from - datetime.timedelta(days=1)
            _check_used_dates(other)
            other.version += 1
            other.save()
            history.record(
                actor=actor,
                instance=other,
                action=HistoryEntry.Action.CHANGE,
                before=before,
                after=_rate_snapshot(other),
            )
            continue
        raise ValidationError(
            {
                "valid_from": _(
                    "These dates overlap the rate %(rate)s. End that rate first, or choose "
                    "other dates."
                )
                % {"rate": other}
            }
        )


def _check_used_dates(rate: ValuationRate) -> None:
    outside = rate.contributions.filter(value_source=ValueSource.RATE).exclude(
        date__gte=rate.valid_from, date__lte=rate.valid_to or datetime.date.max
    )
    count = outside.count()
    if count:
        raise ValidationError(
            {
                "valid_to": _(
                    "%(count)s contributions dated outside these dates were valued with this "
                    "rate. Keep their dates inside the rate's validity."
                )
                % {"count": count}
            }
        )


@transaction.atomic
def rate_create(
    *,
    actor,
    organization: Organization,
    category: str,
    unit: str,
    amount: Decimal,
    currency: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> ValuationRate:
    """Add one of an organization's valuation constants. An open-ended earlier rate for the same
    category and unit ends the day before this one starts."""
    if not acts_for(actor, organization):
        raise PermissionDenied(_("You can set rates only for organizations you edit for."))
    rate = ValuationRate(
        organization=organization,
        category=category,
        unit=unit,
        amount=amount,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    _check_rate(rate)
    _close_or_refuse_overlaps(actor, rate)
    rate.save()
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.CREATE, after=_rate_snapshot(rate)
    )
    return rate


@transaction.atomic
def rate_update(
    *, actor, rate: ValuationRate, expected_version: int | None = None, **fields: Any
) -> ValuationRate:
    """Correct a rate. Contributions valued with it are revalued (each with its own history)."""
    refuse_unknown(
        fields, set(RATE_INPUT) - {"organization"}, _("This field cannot be changed here.")
    )
    rate = lock_for_edit(
        ValuationRate.objects.editable_by(actor),
        rate.pk,
        expected_version,
        refusal=_("You cannot change this rate."),
    )
    before = _rate_snapshot(rate)
    for name, value in fields.items():
        setattr(rate, name, value)
    _check_rate(rate)
    _close_or_refuse_overlaps(actor, rate)
    _check_used_dates(rate)
    after = _rate_snapshot(rate)
    if not history.diff(before, after):
        return rate
    rate.version += 1
    rate.save()
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.CHANGE, before=before, after=after
    )
    contributions_revalue(actor=actor, rate=rate)
    return rate


@transaction.atomic
def rate_delete(*, actor, rate: ValuationRate) -> None:
    """Remove a rate entered by mistake; a rate that valued contributions cannot be removed."""
    if not ValuationRate.objects.editable_by(actor).filter(pk=rate.pk).exists():
        raise PermissionDenied(_("You cannot change this rate."))
    if rate.contributions.exists():
        raise ValidationError(
            _("Contributions were valued with this rate; end it (set 'valid to') instead.")
        )
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.DELETE, before=_rate_snapshot(rate)
    )
    rate.delete()
