"""In a real browser: a partnership past its formal-agreement step warns; recording a signed MoU
with its checklist makes the warning disappear."""

import pytest

from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.factories_agreements import partnership_with_partner, place_past_agreement_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
WARNING = "past its formal-agreement step but has no signed agreement"


def test_record_a_signed_mou_and_see_the_warning_disappear(
    browser_page, sign_in, editor, affiliate
):
    page = browser_page
    partnership, partner = partnership_with_partner(affiliate, title="Glass plates")
    place_past_agreement_step(partnership)

    sign_in(page, "editor")
    page.goto(f"/partnerships/{partnership.pk}/")
    warning = page.locator("#agreement-warnings")
    assert WARNING in warning.inner_text()
    page.goto("/partnerships/?needs_attention=on")
    page.get_by_role("link", name="Glass plates").wait_for()

    page.goto(f"/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Record an agreement").click()
    page.get_by_label("Type").select_option("mou")
    page.get_by_label("Title").fill("Glass MoU")
    page.get_by_label("Status").select_option("signed")
    page.get_by_label("Effective from").fill("2026-01-15")
    page.get_by_label("Organization").nth(0).select_option(str(partner.pk))
    page.get_by_label("Signed by").nth(0).fill("Bo Curator")
    page.get_by_label("Signed on").nth(0).fill("2026-01-15")
    page.get_by_label("Score: Exit strategy").select_option("fully")
    page.get_by_label("Note: Exit strategy").fill("Three months' notice")
    page.get_by_label("Score: Intellectual property and licence").select_option("partly")
    page.shot("agreement-form")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="Glass MoU").wait_for()
    page.shot("agreement-detail")
    checklist = page.locator("#checklist").inner_text()
    assert "Three months' notice" in checklist
    assert "Fully in place" in checklist
    assert page.get_by_role("cell", name="Bo Curator").is_visible()
    agreement = Agreement.objects.get(title="Glass MoU")
    assert agreement.status == "signed"

    page.goto(f"/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Glass MoU").wait_for()
    assert page.locator("#agreement-warnings").count() == 0
    page.goto("/partnerships/?needs_attention=on")
    page.locator("#results .result-count").wait_for()
    assert "0 partnerships" in page.locator("#results .result-count").inner_text()
