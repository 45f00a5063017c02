"""Exchange rates: reading the ECB's CSV files and converting amounts with dated rates.

The hub stores the ECB's euro reference rates (1 EUR = x units of a currency on a day). An amount
converts through the euro, with the latest rate on or before the amount's date; a rate more than
MAX_RATE_AGE_DAYS older than that date is not used (the ECB publishes every working day, so a
gap that long means the currency is no longer quoted or the rates are missing). Nothing is guessed:
a missing rate raises MissingExchangeRate naming the currency and the date.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hub.core import figcache
from hub.funding.exchange_rates.models import ExchangeRate

BASE = "EUR"
MAX_RATE_AGE_DAYS = 10
CENT = Decimal("0.01")

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_LONG_DATE = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
_CODE = re.compile(r"^[A-Z]{3}$")


class MissingExchangeRate(ValueError):
    """No usable rate for `currency` on or shortly before `on_date`."""

    def __init__(self, currency: str, on_date: datetime.date) -> None:
        self.currency = currency
        self.on_date = on_date
        super().__init__(
            _(
                "No exchange rate for %(currency)s on or up to %(days)s days before %(date)s. "
                "Import the ECB rates (manage.py import_exchange_rates FILE) or choose "
                "another reporting currency."
            )
            % {
                "currency": currency,
                "date": date_format(on_date, "DATE_FORMAT"),
                "days": MAX_RATE_AGE_DAYS,
            }
        )


class ExchangeRateFileError(ValueError):
    """The file is not in the ECB's CSV format, or a value in it is unusable."""


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    from_currency: str
    to_currency: str
    on_date: datetime.date
    # The date of each rate used (absent for the euro, which needs none).
    rate_dates: dict[str, datetime.date]


@dataclass
class RateTable:
    """The stored rates of some currencies over a span of days, for many conversions at once."""

    dates: dict[str, list[datetime.date]] = field(default_factory=dict)
    rates: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, currencies: Iterable[str], first: datetime.date, last: datetime.date
    ) -> RateTable:
        """One query: every rate of `currencies` that can serve a date between first and last."""
        table = cls()
        wanted = sorted({c for c in currencies if c != BASE})
        if not wanted:
            return table
        rows = (
            ExchangeRate.objects.filter(
                currency__in=wanted,
                date__gte=first - datetime.timedelta(days=MAX_RATE_AGE_DAYS),
                date__lte=last,
            )
            .order_by("currency", "date")
            .values_list("currency", "date", "rate")
        )
        for currency, day, rate in rows:
            table.dates.setdefault(currency, []).append(day)
            table.rates.setdefault(currency, []).append(rate)
        return table

    def rate(self, currency: str, on_date: datetime.date) -> tuple[Decimal, datetime.date | None]:
        """Units of `currency` per euro on `on_date`, and the date of the rate used."""
        if currency == BASE:
            return Decimal(1), None
        dates = self.dates.get(currency, [])
        index = bisect.bisect_right(dates, on_date) - 1
        if index < 0 or (on_date - dates[index]).days > MAX_RATE_AGE_DAYS:
            raise MissingExchangeRate(currency, on_date)
        return self.rates[currency][index], dates[index]

    def convert(
        self, amount: Decimal, from_currency: str, to_currency: str, on_date: datetime.date
    ) -> Conversion:
        if from_currency == to_currency:
            return Conversion(amount, from_currency, to_currency, on_date, {})
        source, source_date = self.rate(from_currency, on_date)
        target, target_date = self.rate(to_currency, on_date)
        used = {
            code: day
            for code, day in ((from_currency, source_date), (to_currency, target_date))
            if day is not None
        }
        converted = (Decimal(amount) / source * target).quantize(CENT, rounding=ROUND_HALF_UP)
        return Conversion(converted, from_currency, to_currency, on_date, used)


def convert(
    amount: Decimal, from_currency: str, to_currency: str, on_date: datetime.date
) -> Conversion:
    """Convert `amount` with the latest rates on or before `on_date`; says which dates it used.

    Raises MissingExchangeRate when a currency has no rate in the MAX_RATE_AGE_DAYS before the date.
    """
    from_currency, to_currency = from_currency.upper(), to_currency.upper()
    table = RateTable.load([from_currency, to_currency], on_date, on_date)
    return table.convert(Decimal(amount), from_currency, to_currency, on_date)


def known_currencies() -> list[str]:
    """The euro and every currency with a stored rate, for the reporting-currency choice.

    Cached in the figure cache (hub/core/figcache.py), whose generation every recorded write moves.
    """

    def stored() -> list[str]:
        # order_by(): the model orders by date, which would make DISTINCT return every rate row.
        codes = ExchangeRate.objects.order_by().values_list("currency", flat=True).distinct()
        return sorted({BASE, *codes})

    return figcache.cached("funding:currencies", stored, 60 * 60 * 24)


def _parse_date(text: str, line: int) -> datetime.date:
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    match = _LONG_DATE.match(text)
    if match and match.group(2).lower() in _MONTHS:
        try:
            return datetime.date(
                int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
            )
        except ValueError:
            pass
    raise ExchangeRateFileError(
        _("Line %(line)s, column 'Date': '%(value)s' is not a date (expected YYYY-MM-DD).")
        % {"line": line, "value": text[:40]}
    )


@dataclass(frozen=True)
class ParsedRates:
    rates: list[tuple[datetime.date, str, Decimal]]
    currencies: list[str]
    first: datetime.date | None
    last: datetime.date | None
    missing: int  # "N/A" or empty cells: the currency was not quoted that day


def parse_ecb_csv(data: bytes | str) -> ParsedRates:
    """Read eurofxref.csv or eurofxref-hist.csv; raise ExchangeRateFileError naming line and column."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExchangeRateFileError(_("The file is not UTF-8 text.")) from exc
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or header[0].strip().lower() != "date":
        raise ExchangeRateFileError(
            _("This is not an ECB exchange-rate file: its first column must be 'Date'.")
        )
    columns: list[str | None] = []
    for index, name in enumerate(header[1:], start=2):
        code = name.strip().upper()
        if not code:
            columns.append(None)  # the ECB files end each line with a comma
            continue
        if not _CODE.match(code):
            raise ExchangeRateFileError(
                _("Column %(n)s: '%(value)s' is not a three-letter currency code.")
                % {"n": index, "value": name.strip()[:20]}
            )
        columns.append(code)
    rates: list[tuple[datetime.date, str, Decimal]] = []
    first = last = None
    missing = 0
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        day = _parse_date(row[0], line)
        if any(cell.strip() for cell in row[len(columns) + 1 :]):
            raise ExchangeRateFileError(
                _("Line %(line)s has a value in a column without a currency.") % {"line": line}
            )
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
        for column, cell in zip(columns, row[1:], strict=False):
            text = cell.strip()
            if column is None:
                if text:
                    raise ExchangeRateFileError(
                        _("Line %(line)s has a value in a column without a currency.")
                        % {"line": line}
                    )
                continue
            if text in ("", "N/A"):
                missing += 1
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal(-1)
            if not value.is_finite() or value <= 0 or value >= Decimal("1e12"):
                raise ExchangeRateFileError(
                    _("Line %(line)s, column '%(code)s': '%(value)s' is not a rate.")
                    % {"line": line, "code": column, "value": text[:40]}
                )
            rates.append((day, column, value))
    return ParsedRates(
        rates=rates,
        currencies=[c for c in columns if c],
        first=first,
        last=last,
        missing=missing,
    )


SESSION_CURRENCY = "funding_reporting_currency"


def reporting_currency(request) -> str:
    """The viewer's reporting currency: ?currency=, else their choice in the session, else EUR."""
    wanted = (request.GET.get("currency") or request.session.get(SESSION_CURRENCY) or BASE).upper()
    return wanted if wanted in known_currencies() else BASE
