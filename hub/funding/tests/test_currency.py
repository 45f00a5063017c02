import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.funding import services
from hub.funding.demo import FIXTURE
from hub.funding.exchange_rates.currency import (
    MAX_RATE_AGE_DAYS,
    ExchangeRateFileError,
    MissingExchangeRate,
    convert,
    parse_ecb_csv,
)
from hub.funding.models import ExchangeRate

D = datetime.date
HIST = (
    "Date,USD,JPY,CYP,\n"
    "2024-01-03,1.0919,156.5,N/A,\n"
    "2024-01-02,1.0956,155.7,N/A,\n"
    "2007-12-31,1.4721,164.93,0.585274,\n"
)
DAILY = "Date, USD, JPY, GBP, \n22 November 2024, 1.0412, 161.19, 0.8314, \n"


def test_parses_the_ecb_history_format_with_trailing_comma_and_na():
    parsed = parse_ecb_csv(HIST.encode())
    assert parsed.currencies == ["USD", "JPY", "CYP"]
    assert (D(2024, 1, 2), "USD", Decimal("1.0956")) in parsed.rates
    assert (D(2007, 12, 31), "CYP", Decimal("0.585274")) in parsed.rates
    assert parsed.missing == 2
    assert (parsed.first, parsed.last) == (D(2007, 12, 31), D(2024, 1, 3))


def test_parses_the_daily_format_with_spaces_and_long_dates():
    parsed = parse_ecb_csv("\ufeff" + DAILY)
    assert parsed.rates == [
        (D(2024, 11, 22), "USD", Decimal("1.0412")),
        (D(2024, 11, 22), "JPY", Decimal("161.19")),
        (D(2024, 11, 22), "GBP", Decimal("0.8314")),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Datum,USD\n2024-01-02,1.1\n", "first column must be 'Date'"),
        ("Date,US DOLLAR\n2024-01-02,1.1\n", "Column 2"),
        ("Date,USD\n2024-01-02,1,1\n", "column without a currency"),
        ("Date,USD\n2024-01-02,abc\n", "Line 2, column 'USD': 'abc'"),
        ("Date,USD\n2024-01-02,-1\n", "Line 2, column 'USD'"),
        ("Date,USD\n2024-01-02,NaN\n", "Line 2, column 'USD'"),
        ("Date,USD\n02/01/2024,1.1\n", "Line 2, column 'Date'"),
        ("", "first column must be 'Date'"),
    ],
)
def test_bad_files_are_refused_naming_line_and_column(text, message):
    with pytest.raises(ExchangeRateFileError, match=message):
        parse_ecb_csv(text.encode())


@pytest.mark.django_db
def test_import_replaces_a_day_and_is_all_or_nothing(staff):
    services.exchange_rates_import(actor=staff, file=HIST.encode())
    assert ExchangeRate.objects.count() == 7
    services.exchange_rates_import(actor=staff, file=b"Date,USD,\n2024-01-02,1.2,\n")
    assert ExchangeRate.objects.get(date=D(2024, 1, 2), currency="USD").rate == Decimal("1.2")
    with pytest.raises(ExchangeRateFileError):
        services.exchange_rates_import(
            actor=staff, file=b"Date,USD,\n2024-02-01,1.3,\n2024-02-02,x,\n"
        )
    assert not ExchangeRate.objects.filter(date=D(2024, 2, 1)).exists()


@pytest.mark.django_db
def test_only_staff_import_exchange_rates(manager):
    with pytest.raises(PermissionDenied):
        services.exchange_rates_import(actor=manager, file=HIST.encode())


@pytest.mark.django_db
def test_convert_uses_the_latest_rate_on_or_before_the_date_and_says_which(staff):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    saturday = D(2024, 1, 6)
    result = convert(Decimal("100"), "EUR", "USD", saturday)
    assert result.amount == Decimal("109.21")
    assert result.rate_dates == {"USD": D(2024, 1, 5)}
    back = convert(Decimal("109.56"), "USD", "EUR", D(2024, 1, 2))
    assert back.amount == Decimal("100.00")
    cross = convert(Decimal("100"), "USD", "GBP", D(2024, 1, 2))
    assert cross.amount == (Decimal(100) / Decimal("1.0956") * Decimal("0.8675")).quantize(
        Decimal("0.01")
    )
    assert cross.rate_dates == {"USD": D(2024, 1, 2), "GBP": D(2024, 1, 2)}


@pytest.mark.django_db
def test_convert_refuses_without_a_rate_naming_currency_and_date(staff):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    with pytest.raises(MissingExchangeRate, match=r"SEK .*Jan. 2, 2024") as caught:
        convert(Decimal(1), "SEK", "EUR", D(2024, 1, 2))
    assert (caught.value.currency, caught.value.on_date) == ("SEK", D(2024, 1, 2))
    # Before the first stored rate: no rate from the future is used.
    with pytest.raises(MissingExchangeRate, match="USD"):
        convert(Decimal(1), "EUR", "USD", D(2022, 12, 1))
    # A currency no longer quoted (HRK ended 2022-12-30 in the fixture): an old rate is not reused.
    convert(Decimal(1), "HRK", "EUR", D(2022, 12, 30) + datetime.timedelta(MAX_RATE_AGE_DAYS))
    with pytest.raises(MissingExchangeRate, match="HRK"):
        convert(Decimal(1), "HRK", "EUR", D(2023, 6, 30))


@pytest.mark.django_db
def test_command_imports_a_file_and_fails_clearly(tmp_path):
    out = StringIO()
    call_command("import_exchange_rates", str(FIXTURE), stdout=out)
    assert "Stored" in out.getvalue()
    assert ExchangeRate.objects.filter(currency="USD").count() == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,USD\n2024-01-02,oops\n")
    with pytest.raises(CommandError, match="column 'USD'"):
        call_command("import_exchange_rates", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_exchange_rates", str(tmp_path / "missing.csv"))


@settings(deadline=None)  # a shared CI machine is slow at times; speed is not tested here
@given(
    days=st.dictionaries(
        st.dates(min_value=D(1999, 1, 4), max_value=D(2030, 12, 31)),
        st.lists(
            st.one_of(
                st.none(),
                st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4),
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=20,
    ),
    daily=st.booleans(),
)
def test_any_ecb_style_file_reads_back_exactly(days, daily):
    codes = ["USD", "JPY", "ISK"]
    sep = ", " if daily else ","
    lines = [sep.join(["Date", *codes]) + sep]
    for day, values in sorted(days.items(), reverse=True):
        shown = day.strftime("%d %B %Y") if daily else day.isoformat()
        cells = ["N/A" if v is None else str(v) for v in values]
        lines.append(sep.join([shown, *cells]) + sep)
    parsed = parse_ecb_csv("\n".join(lines) + "\n")
    expected = sorted(
        (day, code, value)
        for day, values in days.items()
        for code, value in zip(codes, values, strict=True)
        if value is not None
    )
    assert sorted(parsed.rates) == expected
    assert parsed.missing == sum(v is None for values in days.values() for v in values)
