"""Property tests: numbers and dates written in any of the accepted styles read back exactly, and any
table written as CSV (any delimiter, encoding, quoting) reads back cell for cell."""

import contextlib
import csv
import datetime
import io
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hub.core.tabular import (
    ValueProblem,
    looks_like_total,
    number_affixes,
    open_table,
    parse_date,
    parse_number,
)

# the signs and codes the money strategies write (a caller passes the list it allows)
MONEY = number_affixes(["€", "$", "EUR", "CHF"])
amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)


def grouped(integer: int, sep: str) -> str:
    text = f"{integer:,}"
    return text.replace(",", sep)


@given(
    amount=amounts,
    style=st.sampled_from(["de", "en", "fr", "ch", "plain"]),
    currency=st.sampled_from(["", "€ ", "EUR ", " €", " EUR", "$", "CHF "]),
    negative=st.booleans(),
)
def test_a_formatted_amount_reads_back_exactly(amount, style, currency, negative):
    integer, cents = divmod(amount * 100, 100)
    integer, cents = int(integer), int(cents)
    group, decimal = {
        "de": (".", ","),
        "en": (",", "."),
        "fr": ("\u202f", ","),
        "ch": ("'", "."),
        "plain": ("", "."),
    }[style]
    body = (grouped(integer, group) if group else str(integer)) + f"{decimal}{cents:02d}"
    text = f"{currency}{body}" if not currency.startswith(" ") else f"{body}{currency}"
    if negative:
        text = "-" + text
    assert parse_number(text, affixes=MONEY) == (-amount if negative else amount)


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_with_grouping_read_back(number):
    for sep in (".", ",", " ", "'"):
        assert parse_number(grouped(number, sep)) == number


@given(st.text(max_size=20))
def test_number_parser_never_fails_other_than_with_a_value_problem(text):
    for affixes in (None, MONEY):
        try:
            result = parse_number(text, affixes=affixes)
        except ValueProblem:
            continue
        assert result.is_finite()


@given(
    day=st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2099, 12, 31)),
    style=st.sampled_from(
        ["iso", "dots", "slash_dmy", "slash_mdy", "long_en", "long_de", "serial"]
    ),
)
def test_a_written_date_reads_back(day, style):
    months_en = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    months_de = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ]
    text = {
        "iso": day.isoformat(),
        "dots": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "slash_dmy": f"{day.day}/{day.month}/{day.year}",
        "slash_mdy": f"{day.month}/{day.day}/{day.year}",
        "long_en": f"{day.day} {months_en[day.month - 1]} {day.year}",
        "long_de": f"{day.day}. {months_de[day.month - 1]} {day.year}",
        "serial": str((day - datetime.date(1899, 12, 30)).days),
    }[style]
    assert parse_date(text, day_first=style != "slash_mdy") == day


@given(st.text(max_size=30))
def test_date_parser_never_fails_other_than_with_a_value_problem(text):
    with contextlib.suppress(ValueProblem):
        parse_date(text)


cell_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x00"
        )
        | st.sampled_from([",", ";", "\t", '"', "\n", " "]),
        min_size=1,
        max_size=25,
    )
    .map(lambda s: " ".join(s.split()) if "\n" not in s else s.strip())
    .filter(bool)
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=15),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_any_csv_table_reads_back_cell_for_cell(
    tmp_path_factory, rows, delimiter, encoding, quoting
):
    assume(all(looks_like_total(row) is None for row in rows))
    header = ["Donor", "Value", "Note"]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(
        [header, *rows]
    )
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    table = open_table(path, header_words=["donor", "value", "note"])
    read = [(row.number, row.values) for row in table.rows()]
    expected = [
        (number, [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row])
        for number, row in enumerate(rows, start=2)
    ]
    assert table.headers == header
    assert read == expected
