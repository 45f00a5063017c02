"""Hypothesis-generated rows: whatever mix of spellings a sheet uses, the import records exactly the
values written, and a second import adds nothing."""

import csv
import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.funding.models import InKindContribution
from hub.imports.engine import import_file, run_import

pytestmark = pytest.mark.django_db

CATEGORY_SPELLINGS = {
    "venue_space": ["Raum", "venue", "Salle", "VENUE / SPACE"],
    "catering": ["Verpflegung", "catering", "Bewirtung", "Traiteur"],
    "volunteer_time": ["Ehrenamt", "Volunteer time", "bénévolat", "voluntariado"],
}
names = (
    st.text(
        alphabet=st.characters(categories=("Lu", "Ll", "Nd", "Zs"), exclude_characters="\x00"),
        min_size=2,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: len(s) >= 2 and not s[0].isdigit())
)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31))


def spell_amount(amount: Decimal, style: int) -> str:
    whole, cents = divmod(int(amount * 100), 100)
    if style == 0:
        return f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    if style == 1:
        return f"{whole:,}.{cents:02d}"
    if style == 2:
        return "€ " + f"{whole:,}".replace(",", "\u202f") + f",{cents:02d}"
    return f"{whole}.{cents:02d}"


def spell_date(day: datetime.date, style: int) -> str:
    return [day.isoformat(), f"{day:%d.%m.%Y}", f"{day.day}/{day.month}/{day.year}"][style]


row = st.tuples(
    names,
    days,
    st.sampled_from(sorted(CATEGORY_SPELLINGS)),
    st.integers(0, 3),
    amounts,
    st.integers(0, 3),
    st.integers(0, 2),
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, min_size=1, max_size=12))
def test_generated_rows_import_exactly(rows, affiliate, editor, tmp_path_factory):
    InKindContribution.objects.all().delete()
    path = tmp_path_factory.mktemp("gen") / "sheet.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Spender", "Datum", "Kategorie", "Wert", "Währung"])
        for donor, day, category, spelling, amount, amount_style, date_style in rows:
            words = CATEGORY_SPELLINGS[category]
            writer.writerow(
                [
                    donor,
                    spell_date(day, date_style),
                    words[spelling % len(words)],
                    spell_amount(amount, amount_style),
                    "EUR",
                ]
            )
    preview = run_import(path, organization=affiliate, actor=editor)
    assert preview.messages() == []
    assert preview.valid_rows == len(rows)
    result = import_file(path, affiliate, editor)
    assert result.created == len(rows)
    recorded = sorted(
        InKindContribution.objects.values_list("date", "category", "value", "currency")
    )
    expected = sorted((day, cat, amount, "EUR") for _d, day, cat, _s, amount, _a, _ds in rows)
    assert recorded == expected
    assert import_file(path, affiliate, editor).created == 0
