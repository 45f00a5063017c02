"""The main journey in a real browser: sign in, create, find, edit, read the history."""

import pytest

from hub.directory.factories import OrganizationFactory
from hub.partnerships.models import Partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_create_find_edit_and_read_history(browser_page, sign_in, editor, affiliate):
    page = browser_page
    OrganizationFactory(name="Museum of Glass", country="AT")
    OrganizationFactory(name="University of Graz", kind="university_research", country="AT")

    sign_in(page, "editor")
    page.goto("/partnerships/new/")
    page.shot("partnership-new")
    page.get_by_label("Title").fill("Glass in Commons")
    page.get_by_label("Lead organization").fill(f"#{affiliate.pk}")
    organizations = page.get_by_label("Organization", exact=True)
    organizations.nth(0).fill("Museum of Glass")
    organizations.nth(1).fill("university of graz")
    page.get_by_label("Content for Wikimedia projects").check()
    page.get_by_label("Advocacy / outreach").check()
    page.get_by_label("Structure").select_option("complex")
    page.get_by_label("Start date").fill("2025-03-01")
    page.get_by_label("Themes").fill("GLAM, glass")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="Glass in Commons").wait_for()
    page.shot("partnership-detail")
    assert page.get_by_role("link", name="Museum of Glass").is_visible()
    assert page.get_by_role("link", name="University of Graz").is_visible()
    partnership = Partnership.objects.get(title="Glass in Commons")
    assert partnership.participants.count() == 3
    assert partnership.direction == "external"

    # Find it through the registry's filters (a plain form: works with or without htmx).
    page.goto("/partnerships/")
    page.get_by_label("Advocacy / outreach").check()
    page.get_by_label("Structure").select_option("complex")
    page.get_by_label("Active from year").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    # Each change already asked for results (htmx): wait for the answer to the last of them.
    page.wait_for_url("**/partnerships/?*structure=complex*year_from=2025*")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Glass in Commons").wait_for()
    assert "structure=complex" in page.url
    assert "1 partnership" in page.locator("#results .result-count").inner_text()
    page.shot("registry-filtered")

    page.get_by_role("link", name="Glass in Commons").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Glass and crystal in Commons")
    page.get_by_label("Status").select_option("paused")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Glass and crystal in Commons").wait_for()

    page.get_by_role("link", name="History", exact=True).click()
    page.shot("partnership-history")
    history = page.locator("main").inner_text()
    assert "Glass in Commons" in history
    assert "Glass and crystal in Commons" in history
    assert "Paused" in history
    assert "editor" in history
