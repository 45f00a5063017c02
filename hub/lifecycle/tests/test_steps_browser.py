"""A partnership moved through its steps in a real browser, without a line of our JavaScript."""

import pytest

from hub.directory.factories import OrganizationFactory
from hub.lifecycle.steps.models import StepVisit
from hub.partnerships.factories import make_partnership


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_editor_moves_a_partnership_through_two_steps(browser_page, sign_in, affiliate, editor):
    partnership = make_partnership(
        lead=affiliate, partners=[OrganizationFactory(name="Museum")], title="Scans"
    )
    page = browser_page
    sign_in(page, "editor")
    page.goto(partnership.get_absolute_url())
    page.get_by_role("button", name="Follow its steps").click()
    page.wait_for_load_state()
    assert "Start with your own annual plan." in page.content()

    page.get_by_label("Move to step").select_option(label="First contact")
    page.get_by_label("On", exact=True).fill("2099-02-01")
    page.get_by_label("Note").fill("Wrote to the director")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("[aria-current=step]").inner_text().startswith("First contact")
    page.shot("steps-first-contact")

    page.get_by_label("Move to step").select_option(label="Co-design")
    page.get_by_label("On", exact=True).fill("2099-03-01")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("[aria-current=step]").inner_text().startswith("Co-design")
    page.get_by_label("Next action", exact=True).fill("Draft the shared goals")
    page.get_by_label("Due", exact=True).fill("2099-03-15")
    page.get_by_role("button", name="Save next action").click()
    page.wait_for_load_state()
    assert "Draft the shared goals" in page.content()
    page.shot("steps-co-design")

    visits = StepVisit.objects.filter(progress__partnership=partnership).select_related("step")
    assert [(v.step.key, str(v.entered_on), str(v.left_on)) for v in visits] == [
        ("preliminary_work", str(visits[0].entered_on), "2099-02-01"),
        ("first_contact", "2099-02-01", "2099-03-01"),
        ("co_design", "2099-03-01", "None"),
    ]
