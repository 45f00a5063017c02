"""Highlighted text of a result: the record's own text escaped, with <mark> around the words the
terms found. Nothing of the record is ever output unescaped; only the marks are markup."""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hub.core.search.terms import WORD, Terms

SNIPPET = 200  # characters around the first found word
BEFORE = 60


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _found(word: str, terms: list[str], prefix_of_last: bool) -> bool:
    folded = _fold(word)
    for index, term in enumerate(terms):
        if folded == term or (
            index == len(terms) - 1 and prefix_of_last and folded.startswith(term)
        ):
            return True
        # A stem the database matched ("partnerships" finds "partnership", "museums" "museum").
        if len(term) >= 4 and len(folded) >= 3:
            common = len(_common_prefix(folded, term))
            if common >= max(3, max(len(term), len(folded)) - 3):
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _marked(text: str, terms: Terms) -> tuple[str, int | None]:
    words = [_fold(word) for word in terms.words]
    out: list[str] = []
    first: int | None = None
    position = 0
    for match in WORD.finditer(text):
        if _found(match.group(), words, terms.prefix):
            if first is None:
                first = match.start()
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:]))
    return "".join(out), first


def highlight(text: str, terms: Terms) -> SafeString:
    """The whole of `text`, escaped, with the found words marked."""
    marked, _first = _marked(text, terms)
    return mark_safe(marked)  # noqa: S308 - every piece of the record's text is escaped


def snippet(text: str, terms: Terms, length: int = SNIPPET) -> SafeString:
    """About `length` characters of `text` around its first found word, escaped and marked;
    the start of the text when no word of it is found (the title matched)."""
    _marked_text, first = _marked(text, terms)
    start = 0 if first is None or first < BEFORE else first - BEFORE
    # Cut at word boundaries so that no word (nor a surrogate of a mark) is split.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start  # type: ignore[operator]
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece, _ = _marked(text[start:end], terms)
    lead = "… " if start else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(f"{lead}{piece}{tail}")  # noqa: S308 - `piece` is escaped text with marks
