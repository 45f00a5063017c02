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
