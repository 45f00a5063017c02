"""The home page in a real browser, as a newcomer meets it after `make run`.

docs/screenshots/home.png is the `home-member` screenshot this test keeps (copy it from
test-artifacts/screenshots/ when the home page changes).
"""

import os

import pytest
from django.core.management import call_command

from hub.partnerships.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "test-artifacts", "screenshots"
)


def test_newcomer_finds_who_works_with_a_museum_and_the_manager_their_work(browser_page, sign_in):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    page = browser_page
    page.goto("/")
    assert page.locator("h1").inner_text() == "Partnership Hub"
    assert page.locator(".site-name").get_attribute("aria-current") == "page"
    page.shot("home-anonymous")
    page.get_by_label("Who already works with…").fill("National Museum")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/organizations/?q=National+Museum" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="National Museum in Poland").click()
    assert "Wikimedia Polska" in page.locator("main").inner_text()

    sign_in(page, "demo-manager", DEMO_PASSWORD)
    page.goto("/")
    mine = page.locator("section", has=page.locator("#mine-heading"))
    assert "Informal cooperation on open educational resources" in mine.inner_text()
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "home-member.png"))
    with page.expect_navigation():
        mine.get_by_role(
            "link", name="Edit Informal cooperation on open educational resources"
        ).click()
    assert page.url.endswith("/edit/")
