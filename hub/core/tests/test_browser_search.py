"""The search with the keyboard alone, from any page's header, left to right and right to left."""

import pytest

from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_search_from_the_header_by_keyboard(browser_page, affiliate):
    make_partnership(lead=affiliate, title="Cobalt glaze scans", description="A cobalt study")
    make_partnership(lead=affiliate, title="Hidden cobalt", visibility="private")
    page = browser_page
    page.goto("/partnerships/")
    # Tab from the top of the page to the header's box, type, Enter: no script needed.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        raise AssertionError("Tab never reached the header's search box")
    page.keyboard.type("cobal")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=cobal")
    page.shot("search_results")
    assert page.locator("#results .search-hits mark").first.inner_text().lower() == "cobalt"
    assert page.get_by_role("link", name="Cobalt glaze scans").is_visible()
    assert page.get_by_text("Hidden cobalt").count() == 0
    # The kind facet is a link the keyboard follows.
    page.get_by_role("link", name="Partnerships (1)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=partnership**")
    assert page.get_by_role("link", name="Cobalt glaze scans").is_visible()


def test_the_search_page_reads_right_to_left(browser_page, affiliate):
    make_partnership(lead=affiliate, title="متحف الكوبالت", description="مسح الكوبالت")
    page = browser_page
    page.goto("/search/?q=الكوبالت")
    page.wait_for_load_state()
    hit = page.locator(".search-hits .snippet").first
    assert hit.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator(".search-hits mark").count() >= 1
    page.shot("search_rtl_record")
