"""Publishing in a real browser against the real test MediaWiki: publish a partnership, change it
on the wiki as someone else, see the change in the hub and take it back into the record."""

import datetime

import pytest

from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership
from hub.wiki.publishing import services
from hub.wiki.tests.conftest import BOT_PASSWORD, OTHER_USER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_publish_a_partnership_edit_it_on_the_wiki_and_see_the_change(
    browser_page, sign_in, wiki_allowed, wiki_bot, manager, editor, affiliate
):
    mediawiki = wiki_allowed
    services.connection_create(
        actor=manager,
        organization=affiliate,
        label="Test wiki bot",
        api_url=mediawiki.api_url,
        kind="bot_password",
        username=wiki_bot,
        secret=BOT_PASSWORD,
    )
    partnership = make_partnership(
        lead=affiliate,
        actor=editor,
        title="Archive scans",
        status="active",
        start_date=datetime.date(2026, 2, 1),
        visibility="public",
    )
    title = "Partnerships/Archive scans (browser)"
    page = browser_page
    sign_in(page, "editor")
    page.goto(f"/wiki/publish/partnership/{partnership.pk}/")
    page.get_by_label("Wiki account").select_option(label="Test wiki bot (Wikimedia Testland)")
    page.get_by_label("Page title").fill(title)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name=f"Preview of “{title}”").wait_for()
    page.get_by_text("The page does not exist yet: publishing creates it.").wait_for()
    page.shot("wiki-publish-preview")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Nobody changed the page on the wiki since this publish.").wait_for()
    assert "| 2026-02-01" in mediawiki.text(title)

    published = mediawiki.text(title)
    mediawiki.edit(title, published.replace("| 2026-02-01", "| 2026-02-15"), user=OTHER_USER)
    page.reload()
    changes = page.get_by_role("table", name="Fields changed on the wiki")
    changes.wait_for()
    row = changes.get_by_role("row", name="Start date")
    assert "2026-02-15" in row.inner_text()
    page.shot("wiki-read-back")
    page.get_by_label("Start date").check()
    page.get_by_role("button", name="Take these changes into the record").click()
    page.get_by_text("The wiki's changes are now in the hub's record.").wait_for()
    assert Partnership.objects.get(pk=partnership.pk).start_date == datetime.date(2026, 2, 15)
