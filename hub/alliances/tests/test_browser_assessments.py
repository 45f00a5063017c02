"""Collective impact in a real browser: score an alliance twice (two dates) and see the change in
the chart's table; with a second member's view, both views side by side and their difference."""

import datetime

import pytest

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.alliances.assessments.factories import levels, make_alliance, make_assessment
from hub.alliances.assessments.models import Assessment
from hub.directory.factories import AffiliateFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _score(page, day: str, level: str, agenda: str) -> None:
    page.get_by_label("On behalf of").select_option(label="Wikimedia Testland (WMTL)")
    page.get_by_label("Date").fill(day)
    for item in ("Common agenda", "Shared measurement", "Backbone support"):
        page.get_by_role("group", name=item, exact=True).get_by_label(level).check()
    page.get_by_role("group", name="Common agenda", exact=True).get_by_label(agenda).check()
    page.get_by_label("Comment on “Common agenda”").fill(f"Round of {day}")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("Assessment saved.").wait_for()


def test_score_an_alliance_twice_and_compare_two_members(browser_page, sign_in, editor, affiliate):
    second = AffiliateFactory(name="Wikimedia Secondland", short_code="WMSL")
    alliance = make_alliance(members=[affiliate, second], name="Browser Alliance")
    page = browser_page
    sign_in(page, "editor")
    page.goto(alliance.get_absolute_url())
    page.get_by_role("link", name="Collective-impact self-assessment").click()
    page.get_by_role("link", name="Assess this alliance").click()
    _score(page, "2026-01-10", "Level 2", "Level 1: Just Begun")
    page.shot("assessment-detail")
    page.get_by_role("link", name="Self-assessment").click()
    page.get_by_role("link", name="Assess this alliance").click()
    _score(page, "2026-06-10", "Level 4: Completely Achieved", "Level 3")

    assert Assessment.objects.count() == 2
    page.get_by_role("link", name="Self-assessment").click()
    table = page.locator("#timeline")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    first, then = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "2026-01-10" in first
    assert "2026-06-10" in then
    # 1, 2, 2 of three levels, then 3, 4, 4: the mean of all items moves from 1.67 to 3.67
    assert "1.67" in first
    assert "3.67" in then
    assert page.locator("#assessment-timeline svg[role=img]").count() == 1
    page.shot("assessments-timeline")

    other = MembershipFactory(
        organization=second, role="editor", user=UserFactory(username="sami", first_name="Sami")
    ).user
    make_assessment(
        actor=other,
        alliance=alliance,
        organization=second,
        assessed_on=datetime.date(2026, 6, 12),
        scores=levels(None, common_agenda=1, shared_measurement=4, backbone_support=3),
    )
    page.reload()
    comparison = page.locator("#comparison")
    comparison.wait_for()
    headers = comparison.locator("thead").inner_text()
    assert "editor" in headers
    assert "Sami" in headers
    agenda = comparison.locator("tr[data-item=common_agenda]").inner_text()
    assert "3\t1\t2\tDisagree" in agenda
    assert "Agree" in comparison.locator("tr[data-item=shared_measurement]").inner_text()
    assert "Close" in comparison.locator("tr[data-item=backbone_support]").inner_text()
    page.set_viewport_size({"width": 360, "height": 800})
    page.shot("assessments-360")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
