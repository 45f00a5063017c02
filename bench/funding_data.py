"""In-kind contributions (and the exchange rates that reports need) for the benchmark's dataset.

Filled only once the funding models exist. Values are given for the fields the generator knows; any
other field of the model takes its default, so a new optional field does not break the generator.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

CURRENCIES = [("EUR", 55), ("USD", 15), ("INR", 6), ("BRL", 5), ("UAH", 4), ("GBP", 5), ("CHF", 3),
              ("SEK", 3), ("JPY", 2), ("EGP", 2)]  # fmt: skip
PER_EURO = {
    "EUR": Decimal(1), "USD": Decimal("1.08"), "INR": Decimal("90.1"), "BRL": Decimal("5.9"),
    "UAH": Decimal("44.5"), "GBP": Decimal("0.86"), "CHF": Decimal("0.95"), "SEK": Decimal("11.4"),
    "JPY": Decimal("160.2"), "EGP": Decimal("52.3"),
}  # fmt: skip
CATEGORIES = [
    ("venue_space", 18), ("volunteer_time", 20), ("staff_time", 12), ("catering", 10),
    ("travel_accommodation", 7), ("equipment_goods", 6), ("printing_merchandise", 5),
    ("professional_services", 6), ("media_advertising", 5), ("prizes", 3),
    ("software_licences", 3), ("content_licensing", 3), ("other", 2),
]  # fmt: skip
UNITS = {
    "venue_space": "days", "volunteer_time": "hours", "staff_time": "hours",
    "catering": "persons", "equipment_goods": "items", "printing_merchandise": "items",
    "prizes": "items",
}  # fmt: skip
METHODS = [("fair_market_value", 45), ("donor_stated", 30), ("standard_rate", 15),
           ("waived_invoice", 10)]  # fmt: skip
FIRST_YEAR = 2015
LAST_YEAR = 2026


def _rows_for(model: Any, values: dict[str, Any], defaults: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[name] if name in values else defaults[name] for name in defaults)


def _field_defaults(model: Any, known: list[str]) -> dict[str, Any]:
    """Every concrete field, in order, with its default for the ones the generator does not set."""
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in known:
            defaults[field.name] = None
        elif field.has_default():
            defaults[field.name] = field.get_default()
        elif field.null:
            defaults[field.name] = None
        else:
            defaults[field.name] = ""
    return defaults


def generate_exchange_rates() -> int:
    try:
        from hub.funding.models import ExchangeRate
    except ImportError:
        return 0
    from bench.generate import insert_rows

    rows = []
    day = datetime.date(FIRST_YEAR - 1, 1, 1)
    end = datetime.date(LAST_YEAR, 12, 31)
    step = datetime.timedelta(days=1)
    while day <= end:
        if day.weekday() < 5:
            for code, rate in PER_EURO.items():
                if code != "EUR":
                    rows.append((day, code, rate))
        day += step
    return insert_rows(ExchangeRate, ["date", "currency", "rate"], rows)


def generate_contributions(generator: Any, model: Any) -> int:
    """Contributions received by movement organizations, skewed to the busiest ones."""
    from bench.generate import Picker, insert_rows, next_id, reset_sequences, weighted

    rng = generator.rng
    generator.counts["exchange_rates"] = generate_exchange_rates()
    by_lead: dict[int, list[int]] = {}
    for pk, org, role in generator.participants:
        if role == "lead":
            by_lead.setdefault(org, []).append(pk)
    currency = weighted(rng, CURRENCIES)
    category = weighted(rng, CATEGORIES)
    method = weighted(rng, METHODS)
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    year = Picker(rng, years, [1.0 + (y - FIRST_YEAR) for y in years])
    now = generator.now
    first = next_id(model)
    known = [
        "id", "receiving_organization", "donor_organization", "donor_name", "partnership", "date",
        "period_end", "category", "description", "quantity", "unit", "value", "currency",
        "valuation_method", "value_source", "confidential", "archived", "version",
        "created_at", "updated_at", "import_key",
    ]  # fmt: skip
    defaults = _field_defaults(model, known)
    fields = list(defaults)

    def rows() -> Iterator[tuple[Any, ...]]:
        for n in range(generator.size.contributions):
            receiver = generator.leads.one()
            theirs = by_lead.get(receiver)
            cat = category.one()
            unit = UNITS.get(cat, "")
            quantity = Decimal(rng.randint(1, 400)) if unit else None
            date = datetime.date(year.one(), rng.randint(1, 12), rng.randint(1, 28))
            has_donor_org = rng.random() < 0.85
            values = {
                "id": first + n,
                "receiving_organization": receiver,
                "donor_organization": generator.partners.one() if has_donor_org else None,
                "donor_name": "" if has_donor_org else generator.texts.words(2)[:200],
                "partnership": rng.choice(theirs) if theirs and rng.random() < 0.6 else None,
                "date": date,
                "period_end": date + datetime.timedelta(days=rng.randint(1, 60))
                if rng.random() < 0.15
                else None,
                "category": cat,
                "description": generator.texts.words(rng.randint(3, 9)),
                "quantity": quantity,
                "unit": unit,
                "value": Decimal(rng.randint(500, 2_500_000)) / 100,
                "currency": currency.one(),
                "valuation_method": method.one(),
                "value_source": "given",
                "confidential": rng.random() < 0.1,
                "archived": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "import_key": None,
            }
            yield _rows_for(model, values, defaults)

    count = insert_rows(model, fields, rows())
    reset_sequences([model])
    return count
