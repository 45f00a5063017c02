"""What people type into cells, read: numbers, dates, names compared loosely, total rows and
formulas recognised. Domain-free: a caller passes the words it allows around a number.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: Any) -> str:
    """Text for comparing names: no accents, no case, words separated by single spaces."""
    text = str(text)
    if not text.isascii():  # ASCII has nothing to decompose (and most names are ASCII)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def name_key(text: Any) -> str:
    """A name with case, accents, spacing and punctuation ignored: 'Müller G.m.b.H.' == 'muller gmbh'."""
    return fold(text).replace(" ", "").replace("_", "")


class ValueProblem(ValueError):
    """A cell's value cannot be read as the type asked for; the message completes "'x' ..."."""


class Affixes:
    """Words or signs a caller allows before or after a number ('EUR 12', '12€'): see
    `number_affixes`. Looked up by length in a set, not matched by one regular expression of
    alternatives, which takes several times as long once the list is a few hundred words."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(word.lower() for word in words if word)
        self.lengths = sorted({len(word) for word in self.words}, reverse=True)

    def strip(self, text: str) -> str:
        """`text` without the longest allowed word at its start and the longest at its end, in
        any case, and the spaces beside them."""
        for n in self.lengths:  # longest first: "US$" before "$"
            if text[:n].lower() in self.words:
                text = text[n:].lstrip()
                break
        for n in self.lengths:
            if len(text) >= n and text[-n:].lower() in self.words:
                text = text[:-n].rstrip()
                break
        return text.strip()


def number_affixes(words: Iterable[str]) -> Affixes:
    """What `parse_number` may strip from either end of a number: any of `words` (a currency's
    code or sign, a unit), in any case, with or without a space before the digits ('EUR 12',
    '12€'). Build it once, as a module constant, and pass it to every call: the caller knows which
    words its column allows; this module knows none."""
    return Affixes(words)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
# plain numbers that need no reading (a point followed by three digits might be thousands)
_FAST_NUMBER = re.compile(r"^-?\d{1,15}(?:\.(?:\d{1,2}|\d{4,20}))?$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d{1,3}$")


def parse_number(
    value: Any, *, decimal_comma: bool | None = None, affixes: Affixes | None = None
) -> Decimal:
    """A number from a cell: 1234.5, 1.234,56, 1,234.56, 1 234,56, 1'234.56, (12) or 12-, and with
    `affixes` (see `number_affixes`) a word or sign before or after it, as in € 12 or 12 EUR.

    With one separator that is followed by exactly three digits (1.234 or 1,234) the reading is
    ambiguous: `decimal_comma` decides (True: '.' groups thousands; False: ',' does); left None, both
    read as thousands, which is what people mean in money columns.
    """
    if isinstance(value, bool):
        raise ValueProblem(_("is not a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(_("is not a number."))
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueProblem(_("is not a number."))
        return value
    if not isinstance(value, str):
        raise ValueProblem(_("is not a number."))
    if _FAST_NUMBER.match(value):
        return Decimal(value)
    text = value.strip().replace("\u2212", "-")
    if not text:
        raise ValueProblem(_("is empty; a number is needed."))
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    for _round in range(2):
        if affixes is not None and not (text[:1].isdigit() and text[-1:].isdigit()):
            text = affixes.strip(text)
        if text.startswith("-"):
            negative, text = not negative, text[1:].strip()
        elif text.endswith("-"):
            negative, text = not negative, text[:-1].strip()
        elif text.startswith("+"):
            text = text[1:].strip()
    text = _SPACES.sub(" ", text)
    number = _read_digits(text, decimal_comma)
    if number is None:
        raise ValueProblem(_("is not a number."))
    return -number if negative else number


def _grouped(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return (
        1 <= len(parts[0]) <= 3
        and parts[0].isdigit()
        and all(len(p) == 3 and p.isdigit() for p in parts[1:])
    )


def _read_digits(text: str, decimal_comma: bool | None) -> Decimal | None:
    if not text or len(text) > 60:
        return None
    if _SCIENTIFIC.match(text):
        return Decimal(text)
    for sep in (" ", "'", "’"):
        if sep in text:
            match = re.fullmatch(r"(\d{1,3}(?:" + sep + r"\d{3})+)(?:[.,](\d+))?", text)
            if match is None:
                return None
            return Decimal(match[1].replace(sep, "") + ("." + match[2] if match[2] else ""))
    if text.isdecimal():  # not isdigit(): "²" is a digit but not a number
        return Decimal(text)
    dots, commas = text.count("."), text.count(",")
    if not dots and not commas:
        return None
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        integer, fraction = text.rsplit(decimal_sep, 1)
        if decimal_sep in integer or not fraction.isdigit() or not _grouped(integer, group_sep):
            return None
        return Decimal(integer.replace(group_sep, "") + "." + fraction)
    sep = "." if dots else ","
    if (dots or commas) > 1:
        return Decimal(text.replace(sep, "")) if _grouped(text, sep) else None
    integer, fraction = text.split(sep)
    if not fraction.isdigit() or (integer and not integer.isdigit()):
        return None
    integer = integer or "0"
    if len(fraction) == 3 and len(integer) <= 3 and not integer.startswith("0"):
        as_thousands = True if decimal_comma is None else (sep == ".") == decimal_comma
        if as_thousands:
            return Decimal(integer + fraction)
    return Decimal(integer + "." + fraction)


MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch: full names and abbreviations
    1: "january jan januar janner jän janvier janv enero ene gennaio gen janeiro januari",
    2: "february feb februar fevrier fevr fev febrero febbraio fevereiro februari",
    3: "march mar marz maerz mrz mars marzo marco maart mrt",
    4: "april apr avril avr abril aprile abr",
    5: "may mai mayo maggio mag maio mei",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho",
    8: "august aug aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez decembre diciembre dic dicembre dezembro",
}
MONTH_NAMES = {word: month for month, words in MONTHS.items() for word in words.split()}
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def from_serial(serial: float) -> datetime.date:
    """A spreadsheet serial day number (1900 system, as Excel and LibreOffice write it) as a date."""
    if not 1 <= serial < 2958466:
        raise ValueProblem(_("is not a date."))
    days = int(serial)
    if days < 61:  # Excel counts a 29 February 1900 that never was
        days += 1
    return EXCEL_EPOCH + datetime.timedelta(days=days)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900
    return year


def parse_date(value: Any, *, day_first: bool = True) -> datetime.date:
    """A date from a cell: a real date, a serial number, 2024-03-01, 01.03.2024, 1/3/2024 (day
    first unless `day_first` is False; a part over 12 settles it), 1 March 2024, March 1, 2024."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(_("is not a date."))
    if isinstance(value, int | float | Decimal):
        return from_serial(float(value))
    if not isinstance(value, str):
        raise ValueProblem(_("is not a date."))
    text = " ".join(value.strip().split())
    if not text:
        raise ValueProblem(_("is empty; a date is needed."))
    try:
        if match := _ISO.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            a, sep, b, year = int(match[1]), match[2], int(match[3]), _year(match[4])
            if sep == "." or a > 12:
                day, month = a, b
            elif b > 12:
                day, month = b, a
            else:
                day, month = (a, b) if day_first else (b, a)
            return datetime.date(year, month, day)
        if _SERIAL_TEXT.match(text):
            return from_serial(float(text))
        return _date_with_month_name(text)
    except ValueError as exc:
        if isinstance(exc, ValueProblem):
            raise
        raise ValueProblem(_("is not a date.")) from exc


def _date_with_month_name(text: str) -> datetime.date:
    words = fold(text.replace("de ", " ")).split()
    words = [w for w in words if w not in ("de", "del", "of", "the")]
    day = month = year = None
    for word in words:
        stripped = re.sub(r"(st|nd|rd|th|er|e|o|a)$", "", word) if word[:1].isdigit() else word
        if stripped.isdigit():
            number = int(stripped)
            if len(stripped) == 4 and year is None:
                year = number
            elif day is None and 1 <= number <= 31 and len(stripped) <= 2:
                day = number
            elif year is None and len(stripped) == 2:
                year = _year(stripped)
            else:
                raise ValueProblem(_("is not a date."))
        elif word in MONTH_NAMES and month is None:
            month = MONTH_NAMES[word]
        else:
            raise ValueProblem(_("is not a date."))
    if day is None or month is None or year is None:
        raise ValueProblem(_("is not a date."))
    return datetime.date(year, month, day)


TOTAL_WORDS = (
    "total", "totals", "grand total", "subtotal", "sub total", "sum", "summe", "zwischensumme",
    "gesamt", "gesamtsumme", "insgesamt", "totale", "somme", "suma", "suma total", "totaal",
    "totalt", "summa", "yhteensa", "razem", "celkem", "итого", "всего", "разом", "усього",
    "合計", "合计", "总计", "總計", "المجموع", "الإجمالي", 'סה"כ', "סהכ", "σύνολο", "toplam",
)  # fmt: skip
_TOTAL = re.compile(
    r"^(?:" + "|".join(re.escape(fold(w)) for w in TOTAL_WORDS) + r")(?:\s|$)", re.UNICODE
)
_FOLDED_TOTALS = {fold(w) for w in TOTAL_WORDS}


def looks_like_total(values: list[Any]) -> str | None:
    """The label if this row is a total row: its first text says 'Total' and it has little text."""
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if not texts or len(texts) > 2:
        return None
    label = fold(texts[0])
    if label in _FOLDED_TOTALS or _TOTAL.match(label):
        return texts[0].strip()
    return None


_FORMULA = re.compile(r"^[=+\-@\t\r]\s*[A-Za-z_][\w.]*\s*[(|!]|^=")


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (=HYPERLINK(...), =cmd|..., @SUM(...))."""
    return bool(_FORMULA.match(text))
