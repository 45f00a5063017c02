"""The test wiki: one real MediaWiki for the session, with the pages the tests read (pages.py)."""

import pytest

from hub.core.testing.mediawiki import TestWiki
from hub.wiki.tests.pages import PAGES


@pytest.fixture(scope="session")
def mediawiki(tmp_path_factory):
    """A running MediaWiki on 127.0.0.1 holding PAGES. `make test` installs MediaWiki (scripts/setup),
    so a machine without it fails these tests rather than skipping them: a skip would hide them."""
    missing = TestWiki.missing()
    if missing:
        pytest.fail(missing)
    wiki = TestWiki.start(tmp_path_factory.mktemp("mediawiki"))
    try:
        for title, text in PAGES.items():
            wiki.edit(title, text)
        yield wiki
    finally:
        wiki.stop()


@pytest.fixture
def wiki_allowed(settings, mediawiki):
    """The hub may ask the test wiki (and only it): tests never reach the internet."""
    settings.WIKI_ALLOWED_HOSTS = ["127.0.0.1"]
    return mediawiki


BOT_PASSWORD = "a0b1c2d3e4f5g6h7i8j9k0l1m2n3o4p5"
OTHER_USER = "Someone Else"


@pytest.fixture(scope="session")
def wiki_bot(mediawiki):
    """A wiki account with a bot password (grants: basic, edit, create pages), and another
    account that edits pages "on the wiki"; the bot's sign-in name."""
    mediawiki.add_user("Publisher", "publisher-Pass-1234")
    mediawiki.add_user(OTHER_USER, "someone-Pass-1234")
    return mediawiki.bot_password("Publisher", "hub", BOT_PASSWORD)
