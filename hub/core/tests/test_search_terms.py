"""The search box's text turned into terms, and the highlighted snippets: any text, no error, and
nothing of a record ever output unescaped."""

import html

from hypothesis import given
from hypothesis import strategies as st

from hub.core.search import terms
from hub.core.search.snippets import highlight, snippet

HOSTILE = [
    "",
    " ",
    "*",
    "**",
    '"',
    '"""',
    "'",
    "\x00",
    "a\x00b",
    "😀" * 2000,
    "👩‍👩‍👧‍👦 🇦🇹",
    'museum" OR "1"="1',
    "museum' OR '1'='1' --",
    "NEAR(museum library, 2)",
    "title:museum",
    "museum AND NOT library",
    "+museum -library ~art <old >new",
    "(museum",
    "museum)",
    "@distance",
    "mus*um",
    "-",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    "&lt;mark&gt;",
    "\u202emuseum",
    "\ufeff",
    "\ud7ff",
    "a" * 5000,
    "Wikimedia Österreich",
    "ويكيميديا",
    "विकिमीडिया",
    "维基媒体",
]


def test_terms_are_letters_and_digits_only():
    for text in HOSTILE:
        parsed = terms.parse(text)
        assert len(parsed.words) <= terms.MAX_TERMS
        for word in parsed.words:
            assert terms.WORD.fullmatch(word), (text, word)
            assert not set(word) & set("\"'*()+-~<>@:\\%\x00 ")


def test_the_last_word_is_a_prefix_while_it_is_being_typed():
    assert terms.parse("cobalt ind") == terms.Terms(("cobalt", "ind"), prefix=True)
    assert terms.parse("cobalt ind*") == terms.Terms(("cobalt", "ind"), prefix=True)
    assert terms.parse("cobalt indigo ") == terms.Terms(("cobalt", "indigo"), prefix=False)
    assert terms.parse("cobalt.") == terms.Terms(("cobalt",), prefix=False)
    assert not terms.parse("*")
    assert not terms.parse("😀" * 2000)


def test_words_keep_their_script_and_marks():
    assert terms.parse("Wikimedia Österreich ").words == ("wikimedia", "österreich")
    assert terms.parse("عَرَبِيّ ").words == ("عَرَبِيّ",)
    assert terms.parse("हिन्दी ").words == ("हिन्दी",)


@given(st.text(max_size=3000))
def test_any_text_parses(text):
    parsed = terms.parse(text)
    assert all(terms.WORD.fullmatch(word) for word in parsed.words)
    assert "\x00" not in terms.clean_text(text)
    assert len(terms.clean_text(text)) <= terms.MAX_TEXT


def _unmarked(marked: str) -> str:
    return html.unescape(marked.replace("<mark>", "").replace("</mark>", ""))


@given(st.text(max_size=400), st.text(max_size=60))
def test_highlight_is_the_escaped_text_with_marks(text, query):
    marked = str(highlight(text, terms.parse(query)))
    assert _unmarked(marked) == text
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")


@given(st.text(max_size=1000), st.text(max_size=60))
def test_a_snippet_is_a_piece_of_the_escaped_text(text, query):
    marked = str(snippet(text, terms.parse(query)))
    piece = _unmarked(marked).removeprefix("… ").removesuffix(" …")
    assert piece in text
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")


def test_marks_fall_on_the_words_found():
    found = terms.parse("museum")
    assert str(highlight("The <b>Museum</b> & museums", found)) == (
        "The &lt;b&gt;<mark>Museum</mark>&lt;/b&gt; &amp; <mark>museums</mark>"
    )
    assert (
        str(highlight("Musée du Louvre", terms.parse("musee "))) == "<mark>Musée</mark> du Louvre"
    )
    long = "word " * 100 + "cobalt here" + " word" * 100
    piece = str(snippet(long, terms.parse("cobalt ")))
    assert piece.startswith("… ")
    assert piece.endswith(" …")
    assert "<mark>cobalt</mark> here" in piece
