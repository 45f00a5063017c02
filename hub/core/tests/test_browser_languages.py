"""The registry in the browser's language, switched from the header without JavaScript, remembered.

The expected words are the catalogues' own translations (locale/<lang>/LC_MESSAGES/django.po), so
the test follows the translators' wording and fails while a navigation string is untranslated.
"""

import time
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

NAVIGATION = ["Registry", "Directory"]


def translated(language: str, msgid: str) -> str:
    po = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    stale = not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime
    assert not stale, f"{mo} is missing or older than {po}: run `make install` (compilemessages)"
    entry = polib.pofile(str(po)).find(msgid)
    text = "" if entry is None or "fuzzy" in entry.flags else entry.msgstr
    assert text, f"{msgid!r} has no translation in {po}"
    return text


@pytest.fixture
def page_in(browser, live_server):
    contexts = []

    def open_page(locale: str, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("locale", "language", "direction"), [("de-DE", "de", "ltr"), ("ar", "ar", "rtl")]
)
def test_registry_follows_the_browser_language(page_in, locale, language, direction):
    page = page_in(locale)
    page.goto("/partnerships/")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == direction
    navigation = page.locator("header nav").first
    for msgid in NAVIGATION:
        assert navigation.get_by_role("link", name=translated(language, msgid)).is_visible()


def test_language_switch_works_without_javascript_and_is_remembered(page_in):
    page = page_in("en-GB", javascript=False)
    page.goto("/partnerships/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language").select_option("ar")
    page.locator("form.language").get_by_role("button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partnerships/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    cookie = next(c for c in page.context.cookies() if c["name"] == "django_language")
    assert cookie["value"] == "ar"
    assert cookie["expires"] > time.time() + 300 * 24 * 3600  # kept after the browser closes
    page.goto("/organizations/")  # another page, the browser still asking for English
    assert page.locator("html").get_attribute("lang") == "ar"
    directory = translated("ar", "Directory")
    assert page.locator("header nav").first.get_by_role("link", name=directory).is_visible()
