"""The infographic in a real browser: a member opens it, sees the totals and downloads the SVG."""

import datetime
from decimal import Decimal

import pytest

from hub.funding import services
from hub.funding.demo import FIXTURE
from hub.funding.factories import make_contribution


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_member_opens_the_infographic_and_downloads_it(
    browser_page, sign_in, affiliate, viewer, editor, staff
):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        donor_name="Volunteers",
        date=datetime.date(2024, 1, 3),
        category="venue_space",
        value=Decimal("1234.50"),
        currency="EUR",
    )
    make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        donor_name="Quiet partner",
        date=datetime.date(2024, 1, 4),
        category="catering",
        value=Decimal("1095.60"),
        currency="USD",
        confidential=True,
    )
    page = browser_page
    page.goto(f"/in-kind/infographic/?organization={affiliate.pk}&year=2024&currency=EUR")
    assert page.locator("[data-figure=total]").inner_text() == "1,235 EUR"
    page.shot("funding-infographic-anonymous")

    sign_in(page, "viewer")
    page.goto("/in-kind/infographic/")
    page.get_by_label("Organization", exact=True).fill(f"#{affiliate.pk}")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("[data-figure=total]").inner_text() == "2,235 EUR"
    assert page.get_by_role("img", name="Value by category").count() == 1
    page.shot("funding-infographic-member")
    with page.expect_download() as download:
        page.get_by_role("link", name="SVG").click()
    assert download.value.suggested_filename.endswith("-2024-EUR.svg")
