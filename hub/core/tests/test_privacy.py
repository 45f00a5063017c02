"""The redactor: a value goes wherever it stands as a word, in any case, in text, lists and dicts."""

import re

from hypothesis import given
from hypothesis import strategies as st

from hub.core.privacy import PLACEHOLDER, Redactor

words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=3, max_size=12)
glue = st.text(alphabet=" .,;:()-@+'\"/\n", max_size=3)


@given(value=words, before=words, after=words, sep1=glue, sep2=glue)
def test_a_value_between_any_text_is_gone_and_the_text_around_it_stays(
    value, before, after, sep1, sep2
):
    redactor = Redactor([value])
    text = f"{before}{sep1 or ' '}{value.upper()}{sep2 or ' '}{after}"
    redacted = redactor.redact(text)
    assert not re.search(
        rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", redacted.replace(PLACEHOLDER, " "), re.I
    )
    assert redacted.endswith(after) or after.lower() == value.lower()


@given(value=words)
def test_json_values_and_keys_are_redacted_inside(value):
    redactor = Redactor([value])
    data = {value: [f"by {value}", {"note": value}], "n": 3}
    assert redactor.redact(data) == {
        PLACEHOLDER: [f"by {PLACEHOLDER}", {"note": PLACEHOLDER}],
        "n": 3,
    }


def test_a_value_inside_a_longer_word_stays():
    redactor = Redactor(["Ann"])
    assert redactor.redact("Annual report by ann.") == f"Annual report by {PLACEHOLDER}."


def test_values_shorter_than_three_letters_are_not_searched():
    assert not Redactor(["Li", " ", ""])
