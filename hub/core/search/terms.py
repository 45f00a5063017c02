"""What a person types into the search box, turned into safe terms.

A term is a run of letters, digits and joining marks (Python's `\\w` with the combining marks a
script writes words with), folded to NFKC; everything else (quotes, operators, `*`, emoji, NUL
bytes, punctuation) only separates terms, so no text can be read as the database's query syntax.
The text is cut to a length and the terms to a number, so a 2,000-character paste costs no more
than a sentence. The last term matches as a prefix when the text ends with it (or with `*` after it).
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_TEXT = 500  # characters of the box that are read
MAX_TERMS = 8
MAX_TERM = 60  # characters of a term that are kept
# Letters and digits, and the marks that sit on them (Mn, Mc: Arabic vowel signs, Devanagari
# matras); the underscore separates, as it does for the databases' tokenizers.
WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0903\u093a-\u094f])+"
)


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]
    prefix: bool  # the last word matches as a prefix

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(text: str | None) -> Terms:
    """The terms of `text` (any string, None for no query)."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_TEXT])
    words: list[str] = []
    for match in WORD.finditer(text):
        word = match.group()[:MAX_TERM].lower()
        if word not in words:
            words.append(word)
        if len(words) == MAX_TERMS:
            break
    # "museu" and "museu*" are being typed; "museum " and "museum." are whole words.
    tail = text.rstrip("*")
    ends_in_word = bool(words) and bool(WORD.search(tail[-1:])) and len(words) < MAX_TERMS
    return Terms(tuple(words), prefix=ends_in_word)


def clean_text(text: str | None) -> str:
    """The text as the box shows it back: cut to its length, without NUL and control characters."""
    text = (text or "")[:MAX_TEXT]
    return "".join(c for c in text if c in "\t " or unicodedata.category(c)[0] != "C").strip()
