"""The one rule for stored web addresses: http and https with a host, nothing a browser could run."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from hub.core.weburl import MESSAGE, WebURLFormField, is_web_url, validate_web_url

ACCEPTED = [
    "https://example.org",
    "http://example.org/",
    "HTTPS://EXAMPLE.ORG/Path?q=1#top",
    "https://commons.wikimedia.org/wiki/File:Glass.jpg",
    "https://de.wikipedia.org/wiki/Stra%C3%9Fe",
    "https://пример.рф/путь",
    "https://xn--e1afmkfd.xn--p1ai/",
    "http://127.0.0.1:8000/admin/",
    "http://[2001:db8::1]/",
    "https://user:secret@example.org/",
    'https://example.org/"onmouseover=alert(1)',  # a quote is escaped by the template, still https
]

REFUSED = [
    "javascript://x%0aalert(document.cookie)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "javascript%3Aalert(1)",
    "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://example.org/",
    "mailto:someone@example.org",
    "blob:https://example.org/1",
    "//evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "/relative/path",
    "example.org",
    "https:evil.example",
    "https:/evil.example",
    "https:///evil.example",
    "https:\\\\evil.example",
    "https://",
    "https://exa mple.org",
    " https://example.org",
    "https://example.org ",
    "https://example.org/\nx",
    "https://example.org/\tx",
    "https://example.org/\x00",
    "https://example.org/\x7f",
    "https://example.org/\u200b",  # zero-width space
    "https://example.org/\u202e",  # right-to-left override
    "https://example.org/\u00a0",  # no-break space
    "https://example.org/\u2028",  # line separator
    "https://example.org/\ufeff",  # byte order mark
    "https://" + "a" * 2050 + ".org",
    "",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_web_addresses_are_accepted(value):
    assert is_web_url(value)
    validate_web_url(value)


@pytest.mark.parametrize("value", REFUSED)
def test_everything_else_is_refused_with_a_message_saying_what_is_expected(value):
    assert not is_web_url(value)
    with pytest.raises(ValidationError) as refused:
        validate_web_url(value)
    assert refused.value.messages == [str(MESSAGE)]
    assert refused.value.code == "web_url"


@pytest.mark.parametrize("value", [None, 12, b"https://example.org", ["https://example.org"]])
def test_values_that_are_not_text_are_refused(value):
    assert not is_web_url(value)


# What a browser makes of an href (the URL standard): it drops leading and trailing C0 controls
# and spaces, removes every tab and newline, then reads the scheme up to the first colon.
def browser_scheme(value: str) -> str | None:
    text = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    return match.group(1).lower() if match else None


@given(
    st.text()
    | st.builds(
        lambda a, b: a + b,
        st.sampled_from(["https://", "http://", "javascript:", "HtTpS://", "//", " ", "\t"]),
        st.text(),
    )
)
def test_an_accepted_value_is_opened_by_a_browser_as_a_web_page_and_nothing_else(value):
    if is_web_url(value):
        assert browser_scheme(value) in ("http", "https")
        assert value == value.strip()
        assert not any(c in value for c in "\t\n\r\x00 \\")


@given(st.text(min_size=1))
def test_anything_after_a_script_scheme_is_refused(rest):
    for scheme in ("javascript:", "JavaScript:", "data:", "vbscript:"):
        assert not is_web_url(scheme + rest)


def test_the_form_field_completes_a_bare_host_but_not_a_scheme_relative_address():
    field = WebURLFormField(required=False)
    assert field.clean("wikimedia.at") == "https://wikimedia.at"
    assert field.clean("  https://example.org/a  ") == "https://example.org/a"
    for value in ("//evil.example", "\\\\evil.example", "javascript:alert(1)", "javascript%3Ax"):
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        assert refused.value.messages == [str(MESSAGE)]


def render_link(address, text="the label"):
    template = Template("{% load hub %}{% web_link address text %}")
    return template.render(Context({"address": address, "text": text}))


def test_web_link_links_only_an_http_address_and_escapes_it():
    assert render_link("https://example.org/?a=1&b=2") == (
        '<a href="https://example.org/?a=1&amp;b=2" rel="noopener nofollow">the label</a>'
    )
    assert render_link("javascript:alert(1)") == "the label"
    assert render_link("javascript:alert(1)", None) == "javascript:alert(1)"
    assert render_link('https://x.org/"><script>', "<b>") == (
        '<a href="https://x.org/&quot;&gt;&lt;script&gt;" rel="noopener nofollow">&lt;b&gt;</a>'
    )
