"""The test wiki of hub/wiki's tests, for the Commons category fetch."""

from hub.wiki.tests.conftest import mediawiki, wiki_allowed

__all__ = ["mediawiki", "wiki_allowed"]
