"""Formula neutralisation: the one rule for every CSV or spreadsheet cell the hub writes.

A text cell that starts with = + - @ TAB or CR is run as a formula by a spreadsheet (CSV
injection), and so is one whose first visible character is such a trigger after leading
whitespace (some readers trim it) or in its fullwidth form (U+FF1D, U+FF0B, U+FF0D, U+FF20, which
East Asian input methods type and some spreadsheets take as the ASCII sign). Such a cell gets a
leading apostrophe ('), the convention spreadsheets themselves use for "this is text";
`unneutralize` takes it off again on import. Numbers and dates are written as typed cells, never as text, so they need no
apostrophe. Control characters that XML cannot hold (all below U+0020 except TAB, LF and CR) are
dropped. JSON and JSON-LD are data, not spreadsheets: they keep the text as it is.
"""

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FULLWIDTH_TRIGGERS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")  # fullwidth = + - @
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _runs_as_formula(text: str) -> bool:
    return text.startswith(TRIGGERS) or text.lstrip().startswith(TRIGGERS + FULLWIDTH_TRIGGERS)


def _needs_apostrophe(text: str) -> bool:
    # Apostrophes already before a trigger get one more, so `unneutralize` gives them back too.
    return _runs_as_formula(text.lstrip("'"))


def neutralize(text: str) -> str:
    """Text a spreadsheet will show, never execute."""
    text = _CONTROL.sub("", text)
    return "'" + text if _needs_apostrophe(text) else text


def unneutralize(text: str) -> str:
    """Undo `neutralize`: drop one leading apostrophe put before a formula trigger."""
    if text[:1] == "'" and _needs_apostrophe(text[1:]):
        return text[1:]
    return text


def safe_cell(value: Any) -> Any:
    """A cell for a CSV writer: text neutralized, anything else (numbers, dates) as it is."""
    return neutralize(value) if isinstance(value, str) else value
