"""The outcomes journey in a real browser: enter a figure with its keys, see it on the
partnership with its definition, and in the organization's totals; at 360 px too."""

import pytest

from hub.outcomes.definitions import load
from hub.outcomes.models import Figure, MetricDefinition
from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_enter_a_figure_and_see_it_on_the_partnership_and_the_organization(
    browser_page, sign_in, editor, affiliate
):
    load(MetricDefinition)  # the transactional database starts empty
    partnership = make_partnership(lead=affiliate, actor=editor, title="Trams of Testland")
    other = make_partnership(lead=affiliate, actor=editor, title="More trams")
    page = browser_page
    sign_in(page, "editor")
    for record, keys in (
        (partnership, "File:Tram 1.jpg\nFile:Tram_2.jpg"),
        (other, "File:Tram 2.jpg"),
    ):
        page.goto(record.get_absolute_url())
        page.get_by_role("link", name="Add a figure").click()
        page.get_by_label("Metric").select_option(label="Commons uploads (v1)")
        page.get_by_label("Period start").fill("2026-01-01")
        page.get_by_label("Period end").fill("2026-03-31")
        page.get_by_label("Keys: what is counted, one a line").fill(keys)
        page.shot("outcomes-figure-new")
        page.get_by_role("button", name="Record the figure").click()
        page.get_by_text("The figure is recorded.").wait_for()
    assert Figure.objects.count() == 2

    page.goto(partnership.get_absolute_url())
    row = page.locator("#outcomes tbody tr").first
    assert "entered by hand" in row.inner_text()
    assert row.locator("td.number").first.inner_text() == "2"
    row.get_by_role("link", name="Commons uploads (v1)").click()
    page.get_by_role("heading", name="Commons uploads (v1)").wait_for()
    assert "direct members only" in page.locator("main").inner_text()

    page.goto(affiliate.get_absolute_url())
    totals = page.locator("#outcomes")
    text = totals.inner_text()
    # Tram 2 is claimed by both partnerships: the organization counts it once
    assert "Each Commons file counted once (distinct keys): 2, from 2 figures." in text
    page.shot("outcomes-organization")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(partnership.get_absolute_url() + "#outcomes")
    page.get_by_role("heading", name="Outcomes", exact=True).wait_for()
    page.shot("outcomes-partnership-360")
