"""The one write to exchange rates: storing an ECB file (staff only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.models import HistoryEntry
from hub.funding.exchange_rates.currency import ExchangeRateFileError, parse_ecb_csv
from hub.funding.exchange_rates.models import ExchangeRate


@dataclass(frozen=True)
class ExchangeRateImport:
    rates: int
    currencies: list[str]
    first: datetime.date | None
    last: datetime.date | None
    not_quoted: int


@transaction.atomic
def exchange_rates_import(*, actor, file, batch_size: int = 2000) -> ExchangeRateImport:
    """Store the rates of an ECB CSV file (eurofxref.csv or eurofxref-hist.csv); staff only.

    Rates already stored for a day are replaced by the file's. All or nothing: a bad value raises
    ExchangeRateFileError naming the line and column, and nothing is stored. One history entry
    records the import.
    """
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only administrators import exchange rates."))
    data = file.read() if hasattr(file, "read") else file
    parsed = parse_ecb_csv(data)
    if not parsed.rates:
        raise ExchangeRateFileError(_("The file holds no exchange rates."))
    target_conflicts = connection.features.supports_update_conflicts_with_target
    for start in range(0, len(parsed.rates), batch_size):
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(date=day, currency=code, rate=rate)
                for day, code, rate in parsed.rates[start : start + batch_size]
            ],
            update_conflicts=True,
            # MySQL/MariaDB find the conflict themselves (ON DUPLICATE KEY) and refuse a target.
            unique_fields=["date", "currency"] if target_conflicts else None,
            update_fields=["rate"],
        )
    history.record_changes(
        actor=actor,
        model=ExchangeRate,
        object_id=0,
        object_repr=_("ECB exchange rates %(first)s to %(last)s")
        % {"first": parsed.first, "last": parsed.last},
        action=HistoryEntry.Action.CHANGE,
        changes={"rates": [None, len(parsed.rates)], "currencies": [None, parsed.currencies]},
    )
    return ExchangeRateImport(
        rates=len(parsed.rates),
        currencies=parsed.currencies,
        first=parsed.first,
        last=parsed.last,
        not_quoted=parsed.missing,
    )
