"""A generated wikitext document saved on a real MediaWiki shows the record's values as text: a
partner named `Smith & <Sons>` and a description full of wiki markup render as written, not as
markup."""

import json
import urllib.parse
import urllib.request

import pytest

from hub.core.testing.mediawiki import TestWiki
from hub.lifecycle.documents import services
from hub.lifecycle.factories_documents import make_agreement, make_documented_partnership, shipped

HOSTILE = "[[Evil link]] {{Delete}} '''bold''' <script>x</script> ~~~~"


@pytest.fixture(scope="module")
def wiki(tmp_path_factory):
    missing = TestWiki.missing()
    if missing:
        pytest.fail(missing)
    running = TestWiki.start(tmp_path_factory.mktemp("documents-wiki"))
    yield running
    running.stop()


def _rendered(wiki: TestWiki, title: str) -> str:
    query = urllib.parse.urlencode(
        {"action": "parse", "page": title, "prop": "text", "format": "json", "formatversion": 2}
    )
    with urllib.request.urlopen(f"{wiki.api_url}?{query}", timeout=30) as answer:  # noqa: S310 - the local test wiki
        return json.load(answer)["parse"]["text"]


def test_values_render_as_text_on_a_wiki(wiki, affiliate, editor):
    partnership = make_documented_partnership(lead=affiliate, description=HOSTILE)
    agreement = make_agreement(partnership)
    document = services.document_generate(
        actor=editor,
        partnership=partnership,
        template=shipped("mou", "en"),
        format="wikitext",
        agreement=agreement,
    )
    with document.file.open("rb") as handle:
        wiki.edit("Memorandum", handle.read().decode())
    html = _rendered(wiki, "Memorandum")
    assert "Smith &amp; &lt;Sons&gt;" in html
    assert "<Sons>" not in html
    assert "[[Evil link]] {{Delete}} '''bold''' &lt;script&gt;x&lt;/script&gt; ~~~~" in html
    assert "<script>" not in html
    assert "Evil_link" not in html  # no link was made
    for expected in (
        "Erika Mustermann",
        "John Smith",
        "1 April 2026",
        "Content for Wikimedia projects",
    ):
        assert expected in html
    assert '<table class="wikitable">' in html
