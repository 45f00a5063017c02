"""The meetings journey in a real browser: record a meeting with a decision and two action items,
mark one done, and read the calendar feed (fetched from its address and parsed by vobject)."""

import pytest
import vobject

from hub.meetings.models import ActionItem, Meeting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_record_a_meeting_decide_assign_finish_and_read_the_feed(
    browser_page, sign_in, editor, viewer, affiliate
):
    page = browser_page
    sign_in(page, "editor")
    page.goto("/meetings/")
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Title").fill("Partnerships workshop")
    page.get_by_label("Starts").fill("2026-11-03T10:00")
    page.get_by_label("Ends").fill("2026-11-03T17:30")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Place", exact=True).fill("Berlin, WMDE office")
    page.get_by_label("Wikimedia Testland").check()
    page.get_by_label("Agenda").fill("Mapping exercise; ways to work together")
    page.shot("meeting-new")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Partnerships workshop").wait_for()
    meeting = Meeting.objects.get()
    when = page.locator("main dl").inner_text()
    assert "Nov. 3, 2026, 10 a.m. – Nov. 3, 2026, 5:30 p.m. (Europe/Berlin time)" in when

    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Decision").fill("Write a one-pager on a backbone structure.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Write a one-pager on a backbone structure.").wait_for()

    for what, due in (("Vision document", "2027-01-15"), ("Blog post", "2026-12-20")):
        page.get_by_role("link", name="Add an action item").click()
        page.get_by_label("What").fill(what)
        page.get_by_label("Owner").select_option(label="viewer")
        page.get_by_label("Due").fill(due)
        page.get_by_label("From the decision").select_option(index=1)
        page.get_by_role("button", name="Save the action item").click()
        page.get_by_role("rowheader", name=what).wait_for()
    page.shot("meeting-detail")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    sign_in(page, "viewer")
    page.goto("/meetings/next-steps/")
    page.get_by_label("Status of “Blog post”").select_option("completed")
    page.get_by_role("row", name="Blog post").get_by_role("button", name="Change status").click()
    page.get_by_text("Status changed.").wait_for()
    page.shot("next-steps")
    assert ActionItem.objects.get(what="Blog post").status == "completed"
    assert "Blog post" not in page.locator("main table").inner_text()

    page.goto("/meetings/feed/")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Calendar address").input_value()
    page.shot("feed-address")
    response = page.request.get(address)
    assert response.ok
    cal = vobject.readOne(response.text())
    (event,) = cal.vevent_list
    assert event.summary.value == "Partnerships workshop"
    assert event.dtstart.value == meeting.starts_at
    assert event.dtstart.value.isoformat() == "2026-11-03T09:00:00+00:00"
    todos = {t.summary.value: t for t in cal.vtodo_list}
    assert todos["Blog post"].status.value == "COMPLETED"
    assert todos["Vision document"].status.value == "NEEDS-ACTION"
    assert str(todos["Vision document"].due.value) == "2027-01-15"
