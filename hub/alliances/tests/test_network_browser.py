"""The network map in a real browser: ask for the computation, read the map and reach the table
of measures with the keyboard alone, at desktop width and at 360 px."""

import datetime

import pytest

from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_compute_the_map_and_reach_its_table_by_keyboard(browser_page, affiliate, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    museum = OrganizationFactory(name="Harbour Museum", kind="museum")
    library = OrganizationFactory(name="Hill Library", kind="library")
    make_partnership(
        lead=affiliate, partners=[museum, library], start_date=datetime.date(2024, 1, 1)
    )
    page = browser_page
    page.goto("/alliances/network/")
    page.get_by_role("button", name="Compute this network").click()
    page.get_by_role("heading", name="Organizations and their measures").wait_for()
    assert page.locator("svg.network-map title").first.text_content() == "The network map"
    rows = page.locator("table.network-table tbody tr")
    assert rows.count() == 3
    assert "Harbour Museum" in page.locator("table.network-table").inner_text()
    page.shot("network-map")

    # From the top of the page, Tab reaches the scrollable table region.
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == (
            "measures-heading"
        ):
            break
    else:
        pytest.fail("the table of measures is not reachable with Tab")
    page.keyboard.press("Tab")  # into the table: the first organization's link
    assert page.evaluate("document.activeElement.textContent") == "Harbour Museum"

    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.shot("network-map-360")
