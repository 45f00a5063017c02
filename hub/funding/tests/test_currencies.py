"""hub.funding.currencies: one list of what the hub knows of currencies, used by the number parser
(amounts with a sign or code read off), by the import's currency cells and by the validator."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.core.tabular import ValueProblem, parse_number
from hub.funding.currencies import (
    AMOUNT_AFFIXES,
    CODES,
    CURRENCY_NAMES,
    CURRENCY_SIGNS,
    SIGNS,
    currency_in,
    is_currency,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 12,50", "12.50"),
        ("12,50 €", "12.50"),
        ("EUR 1.000", "1000"),
        ("CHF 99.90", "99.90"),
        ("$1,000,000.25", "1000000.25"),
        ("US$ 5", "5"),
        ("R$ 1.234,56", "1234.56"),
        ("12 zł", "12"),
        ("1 200 Kč", "1200"),
        ("-5 kr", "-5"),
        ("(1.000,00 €)", "-1000.00"),
        ("eur 12", "12"),
        ("XOF 1.000", "1000"),
    ],
)
def test_an_amount_with_its_currency_reads_as_its_number(text, expected):
    assert parse_number(text, affixes=AMOUNT_AFFIXES) == Decimal(expected)


@pytest.mark.parametrize("text", ["€", "EUR", "12 ERU", "12 €€€"])
def test_a_currency_without_a_number_or_an_unknown_code_is_not_a_number(text):
    with pytest.raises(ValueProblem):
        parse_number(text, affixes=AMOUNT_AFFIXES)


@given(
    word=st.sampled_from(sorted(CODES | set(SIGNS))),
    before=st.booleans(),
    space=st.booleans(),
)
def test_every_code_and_sign_is_read_off_an_amount(word, before, space):
    gap = " " if space else ""
    text = f"{word}{gap}1.234,56" if before else f"1.234,56{gap}{word}"
    assert parse_number(text, affixes=AMOUNT_AFFIXES) == Decimal("1234.56")


def test_every_sign_and_name_names_an_iso_code():
    assert all(code is None or is_currency(code) for code in SIGNS.values())
    assert all(is_currency(code) for code in CURRENCY_SIGNS.values())
    assert all(is_currency(code) for code in CURRENCY_NAMES.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 12", "EUR"),
        ("12 CHF", "CHF"),
        ("chf 12", "CHF"),
        ("US$ 5", "USD"),
        ("$ 5", "USD"),
        ("Fr. 20", "CHF"),
        ("Euro", "EUR"),
        ("Złoty", "PLN"),
        ("12 SEK", "SEK"),
        ("1.234,56", None),
        ("12 kr", None),
        ("Franc", None),
    ],
)
def test_the_currency_a_written_amount_names(text, expected):
    assert currency_in(text) == expected
