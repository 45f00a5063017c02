"""Illustrative in-kind demo data for Wikimedia Österreich (WMAT). NOT real figures.

WMAT's actual in-kind spreadsheet is not public; every contribution here says in its description
that it is an illustrative demo figure, and the donors are invented example organizations. Loaded by
`manage.py load_demo_inkind` (after `load_demo_partnerships`, which loads the directory it needs);
running it again adds nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from hub.accounts.system import system_actor
from hub.core import search
from hub.directory.models import Organization
from hub.funding import services
from hub.funding.models import ExchangeRate, ValuationRate

FIXTURE = Path(__file__).parent / "fixtures" / "ecb-test-rates.csv"
NOTE = "Illustrative demo figure, not a real Wikimedia Österreich record."
D = datetime.date

DONORS = [
    # name, kind
    ("Example Conference Centre (demo)", "company"),
    ("Example Catering Cooperative (demo)", "company"),
    ("Example Print Shop (demo)", "company"),
    ("Example Search Ads Programme (demo)", "company"),
    ("Example City Library (demo)", "library"),
]

RATES = [
    # category, unit, amount, valid from, valid to
    ("volunteer_time", "hours", "18.00", D(2023, 1, 1), D(2023, 12, 31)),
    ("volunteer_time", "hours", "20.00", D(2024, 1, 1), None),
    ("staff_time", "hours", "35.00", D(2023, 1, 1), None),
    ("venue_space", "days", "400.00", D(2023, 1, 1), None),
]

CONTRIBUTIONS = [
    # key, donor, date, category, quantity, unit, value, currency, method, confidential, what
    (
        "demo-1",
        0,
        D(2023, 5, 13),
        "venue_space",
        "2",
        "days",
        None,
        "",
        "",
        False,
        "Edit-a-thon room",
    ),
    (
        "demo-2",
        None,
        D(2023, 5, 13),
        "volunteer_time",
        "80",
        "hours",
        None,
        "",
        "",
        False,
        "Edit-a-thon volunteers",
    ),
    (
        "demo-3",
        1,
        D(2023, 5, 13),
        "catering",
        "30",
        "persons",
        "450.00",
        "EUR",
        "donor_stated",
        False,
        "Lunch for the edit-a-thon",
    ),
    (
        "demo-4",
        0,
        D(2024, 3, 16),
        "venue_space",
        "3",
        "days",
        None,
        "",
        "",
        False,
        "Conference rooms for a photo workshop",
    ),
    (
        "demo-5",
        None,
        D(2024, 3, 16),
        "volunteer_time",
        "120",
        "hours",
        None,
        "",
        "",
        False,
        "Workshop volunteers",
    ),
    (
        "demo-6",
        4,
        D(2024, 3, 16),
        "staff_time",
        "12",
        "hours",
        None,
        "",
        "",
        False,
        "Library staff guiding a tour",
    ),
    (
        "demo-7",
        1,
        D(2024, 3, 16),
        "catering",
        "40",
        "persons",
        "600.00",
        "EUR",
        "donor_stated",
        False,
        "Coffee and lunch",
    ),
    (
        "demo-8",
        3,
        D(2024, 1, 4),
        "media_advertising",
        None,
        "",
        "1000.00",
        "USD",
        "fair_market_value",
        False,
        "Search advertising credit",
    ),
    (
        "demo-9",
        2,
        D(2024, 6, 30),
        "printing_merchandise",
        "500",
        "items",
        "300.00",
        "EUR",
        "waived_invoice",
        True,
        "Printed leaflets (confidential in the demo)",
    ),
]


@transaction.atomic
def load_demo_inkind(*, out: Callable[[str], object] | None = None) -> int:
    """Load the demo exchange rates, WMAT's demo rates and contributions; returns how many were new."""
    actor = system_actor()
    if not ExchangeRate.objects.exists():
        services.exchange_rates_import(actor=actor, file=FIXTURE.read_bytes())
    wmat = Organization.objects.filter(short_code="WMAT").first()
    if wmat is None:
        if out:
            out("No WMAT in the directory: load the reference data first; no in-kind demo loaded.")
        return 0
    donors = []
    for name, kind in DONORS:
        donor = Organization.objects.filter(name=name).first()
        if donor is None:
            donor = Organization.objects.create(
                name=name, kind=kind, country="AT", verified=False, source_note=NOTE
            )
            search.index(donor)
        donors.append(donor)
    for category, unit, amount, start, end in RATES:
        if not ValuationRate.objects.filter(
            organization=wmat, category=category, unit=unit, valid_from=start
        ).exists():
            services.rate_create(
                actor=actor,
                organization=wmat,
                category=category,
                unit=unit,
                amount=Decimal(amount),
                currency="EUR",
                valid_from=start,
                valid_to=end,
                note=NOTE,
            )
    rows = []
    for (
        key,
        donor_index,
        day,
        category,
        quantity,
        unit,
        value,
        currency,
        method,
        secret,
        what,
    ) in CONTRIBUTIONS:
        row = {
            "receiving_organization": wmat,
            "date": day,
            "category": category,
            "quantity": Decimal(quantity) if quantity else None,
            "unit": unit,
            "value": Decimal(value) if value else None,
            "currency": currency,
            "valuation_method": method,
            "confidential": secret,
            "description": f"{what}. {NOTE}",
            "import_key": key,
        }
        if donor_index is None:
            row["donor_name"] = "Volunteers (demo)"
        else:
            row["donor_organization"] = donors[donor_index]
        rows.append(row)
    result = services.contribution_create_many(actor=actor, rows=rows)
    if out:
        out(f"In-kind demo: {result.created} contributions added ({NOTE})")
    return result.created
