import csv
import datetime
import io

import pytest
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.factories_steps import make_lifecycle, start_progress, step_of
from hub.lifecycle.steps import progress as steps_progress
from hub.lifecycle.steps.models import Lifecycle, PartnershipProgress, StepVisit
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

D = datetime.date


@pytest.fixture
def partnership(affiliate):
    return make_partnership(
        lead=affiliate, partners=[OrganizationFactory(name="Museum")], title="Scans"
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_editor_starts_and_moves_a_partnership_from_its_page(partnership, editor, client_for):
    client = client_for(editor)
    detail = page(client, partnership.get_absolute_url())
    assert "Follow its steps" in detail
    response = client.post(reverse("lifecycle:progress_start", args=[partnership.pk]))
    assert response.status_code == 302
    progress = PartnershipProgress.objects.get(partnership=partnership)
    detail = page(client, partnership.get_absolute_url())
    assert "Preliminary work" in detail
    assert "Start with your own annual plan." in detail  # the current step's actions
    co_design = step_of(progress.lifecycle, "co_design")
    response = client.post(
        reverse("lifecycle:progress_move", args=[partnership.pk]),
        {"step": co_design.pk, "on": "2099-01-02", "note": "Met", "version": progress.version},
    )
    assert response.status_code == 302
    current = StepVisit.objects.get(progress=progress, left_on__isnull=True)
    assert (current.step, current.entered_on, current.note) == (co_design, D(2099, 1, 2), "Met")
    steps_page = page(client, reverse("lifecycle:progress", args=[partnership.pk]))
    assert "aria-current" in steps_page
    entry = HistoryEntry.objects.filter(object_id=partnership.pk, changes__has_key="step").first()
    assert entry.changes["step"] == ["Preliminary work", "Co-design"]


def test_a_move_before_the_current_entry_is_shown_on_the_form(partnership, editor, client_for):
    progress = start_progress(partnership, on=D(2026, 3, 1))
    response = client_for(editor).post(
        reverse("lifecycle:progress_move", args=[partnership.pk]),
        {"step": step_of(progress.lifecycle, "co_design").pk, "on": "2026-02-01"},
    )
    assert response.status_code == 400
    assert "cannot be before the current step was entered" in response.content.decode()


def test_a_stale_move_is_refused_with_a_message(partnership, editor, client_for):
    progress = start_progress(partnership)
    response = client_for(editor).post(
        reverse("lifecycle:progress_move", args=[partnership.pk]),
        {"step": step_of(progress.lifecycle, "co_design").pk, "version": progress.version + 5},
    )
    assert response.status_code == 400
    assert "Someone else changed these steps" in response.content.decode()


def test_next_action_with_owner_overdue_and_hidden_from_anonymous(partnership, editor, client_for):
    start_progress(partnership)
    response = client_for(editor).post(
        reverse("lifecycle:next_action", args=[partnership.pk]),
        {"action": "Send the draft letter", "owner": editor.pk, "due": "2020-01-31"},
    )
    assert response.status_code == 302
    seen = page(client_for(editor), partnership.get_absolute_url())
    assert "Send the draft letter" in seen
    assert "Overdue" in seen
    assert "editor" in seen.split("Send the draft letter", 1)[1][:200]
    anonymous = page(client_for(None), partnership.get_absolute_url())
    assert "Send the draft letter" in anonymous
    assert "editor" not in anonymous.split("Send the draft letter", 1)[1][:200]


def test_an_owner_from_outside_is_a_field_error(partnership, editor, outsider, client_for):
    start_progress(partnership)
    response = client_for(editor).post(
        reverse("lifecycle:next_action", args=[partnership.pk]),
        {"action": "Call", "owner": outsider.pk},
    )
    assert response.status_code == 400
    assert PartnershipProgress.objects.get(partnership=partnership).next_action == ""


def test_viewer_sees_the_steps_without_forms(partnership, viewer, client_for):
    start_progress(partnership)
    seen = page(client_for(viewer), partnership.get_absolute_url())
    assert "All steps" in seen
    assert "Move to another step" not in seen


def test_private_steps_are_404_for_outsiders(affiliate, outsider, client_for):
    private = make_partnership(lead=affiliate, visibility="private")
    start_progress(private)
    for url in ("lifecycle:progress", "lifecycle:moving_on"):
        assert client_for(outsider).get(reverse(url, args=[private.pk])).status_code == 404


def test_moving_on_ends_the_partnership(partnership, editor, client_for):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    client = client_for(editor)
    client.post(
        reverse("lifecycle:progress_move", args=[partnership.pk]),
        {"step": step_of(progress.lifecycle, "follow_up_or_exit").pk, "on": "2026-05-01"},
    )
    assert "Record the moving on" in page(client, partnership.get_absolute_url())
    response = client.post(
        reverse("lifecycle:moving_on", args=[partnership.pk]),
        {
            "what_goes_public": "The scans and a blog post",
            "celebration": "A party",
            "completed_on": "2026-05-30",
            "end_partnership": "on",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.COMPLETED
    assert "A party" in page(client, partnership.get_absolute_url())


def test_manager_adapts_the_lifecycle_without_javascript(affiliate, manager, client_for):
    client = client_for(manager)
    url = reverse("lifecycle:organization", args=[affiliate.pk])
    assert "Adopt a lifecycle" in page(client, url)
    assert client.post(reverse("lifecycle:adopt", args=[affiliate.pk]), {"preset": "eight_steps"})
    lifecycle = Lifecycle.objects.get(organization=affiliate)
    response = client.post(
        reverse("lifecycle:step_create", args=[lifecycle.pk]),
        {f"lifecycle-{lifecycle.pk}-name": "Annual report"},
    )
    assert response.status_code == 302
    added = lifecycle.steps.get(name="Annual report")
    client.post(reverse("lifecycle:step_move", args=[added.pk]), {"direction": "up"})
    added.refresh_from_db()
    assert added.position == 8
    response = client.post(
        reverse("lifecycle:step_edit", args=[added.pk]),
        {"name": "Yearly report", "actions": "Write it", "obstacles": "", "milestone": ""},
    )
    assert response.status_code == 302
    client.post(reverse("lifecycle:step_retire", args=[added.pk]))
    shown = page(client, url)
    assert "Yearly report" in shown
    assert "retired step" in shown
    client.post(reverse("lifecycle:step_restore", args=[added.pk]))
    added.refresh_from_db()
    assert not added.is_retired


def test_an_unnamed_step_is_refused_on_its_form(affiliate, manager, client_for):
    lifecycle = make_lifecycle(affiliate)
    response = client_for(manager).post(
        reverse("lifecycle:step_create", args=[lifecycle.pk]),
        {f"lifecycle-{lifecycle.pk}-name": "  "},
    )
    assert response.status_code == 400
    assert "Give the step a name." in response.content.decode()


def test_the_lifecycle_page_is_read_only_for_others(affiliate, editor, client_for):
    make_lifecycle(affiliate)
    for user in (editor, None):
        shown = page(client_for(user), reverse("lifecycle:organization", args=[affiliate.pk]))
        assert "Preliminary work" in shown
        assert "Add a step" not in shown
        assert "Retire" not in shown


def test_tools_are_added_and_a_bad_address_is_refused(affiliate, manager, client_for):
    step = step_of(make_lifecycle(affiliate), "co_design")
    client = client_for(manager)
    bad = client.post(
        reverse("lifecycle:link_add", args=[step.pk]), {"label": "X", "url": "javascript:1"}
    )
    assert bad.status_code == 400
    good = client.post(
        reverse("lifecycle:link_add", args=[step.pk]),
        {"label": "Our MoU", "url": "https://example.org/mou"},
    )
    assert good.status_code == 302
    assert "Our MoU" in page(client, reverse("lifecycle:step_edit", args=[step.pk]))


def test_organization_page_links_its_lifecycles(affiliate, client):
    assert reverse("lifecycle:organization", args=[affiliate.pk]) in page(
        client, affiliate.get_absolute_url()
    )


def test_the_steps_export_lists_only_what_the_reader_may_see(
    partnership, affiliate, editor, outsider, client_for
):
    start_progress(partnership, on=D(2026, 1, 1))
    private = make_partnership(lead=affiliate, title="Hidden one", visibility="private")
    start_progress(private)
    url = reverse("lifecycle:steps_export") + "?format=csv"

    def rows(user):
        response = client_for(user).get(url)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    seen = rows(outsider)
    assert [(r["partnership"], r["step"], r["entered_on"]) for r in seen] == [
        ("Scans", "Preliminary work", "2026-01-01")
    ]
    assert {r["partnership"] for r in rows(editor)} == {"Scans", "Hidden one"}
    xlsx = client_for(editor).get(reverse("lifecycle:steps_export") + "?format=xlsx")
    assert xlsx.status_code == 200


def test_history_names_the_owner_to_the_signed_in_only(partnership, editor, client_for):
    start_progress(partnership)
    steps_progress.next_action_set(
        actor=editor, partnership=partnership, action="Phone the archive", owner=editor
    )
    url = reverse("partnerships:history", args=[partnership.pk])
    signed_in = page(client_for(editor), url)
    anonymous = page(client_for(None), url)
    assert "Phone the archive" in anonymous
    assert "Owner of the next action" not in anonymous
    assert "Owner of the next action" in signed_in


def test_a_partnership_not_on_its_steps_shows_no_panel_to_readers(partnership, viewer, client_for):
    assert "steps-heading" not in page(client_for(viewer), partnership.get_absolute_url())
    steps_page = page(client_for(viewer), reverse("lifecycle:progress", args=[partnership.pk]))
    assert "does not follow a lifecycle yet" in steps_page


def _queries_of_the_page(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_steps_page_queries_do_not_grow_with_the_visits(partnership, editor, client_for):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    client = client_for(editor)
    url = reverse("lifecycle:progress", args=[partnership.pk])
    keys = ["identifying_partners", "first_contact", "co_design", "formal_agreement"]
    steps_progress.progress_move(
        actor=editor, partnership=partnership, step=step_of(progress.lifecycle, keys[0])
    )
    few = _queries_of_the_page(client, url)
    for key in [*keys[1:], "first_contact", "implementation"]:
        steps_progress.progress_move(
            actor=editor, partnership=partnership, step=step_of(progress.lifecycle, key)
        )
    assert _queries_of_the_page(client, url) == few


@pytest.mark.parametrize("value", [str(2**63), "9" * 400, "-1", "x", "1\x00", ""])
def test_hostile_values_are_form_errors_never_500(value, partnership, editor, client_for):
    start_progress(partnership)
    client = client_for(editor)
    move = client.post(
        reverse("lifecycle:progress_move", args=[partnership.pk]),
        {"step": value, "on": value, "version": value},
    )
    assert move.status_code == 400
    action = client.post(
        reverse("lifecycle:next_action", args=[partnership.pk]),
        {"action": "Call", "owner": value, "due": value, "version": value},
    )
    assert action.status_code in (302, 400)
    started = client.post(
        reverse("lifecycle:progress_start", args=[partnership.pk]), {"lifecycle": value}
    )
    assert started.status_code == 302


def test_the_home_page_lists_my_next_actions(partnership, editor, viewer, client_for):
    start_progress(partnership)
    steps_progress.next_action_set(
        actor=editor,
        partnership=partnership,
        action="Phone the archive",
        owner=editor,
        due=D(2020, 1, 1),
    )
    home = page(client_for(editor), "/")
    assert "Your next actions" in home
    assert "Phone the archive" in home
    assert "Overdue" in home.split("Phone the archive", 1)[1][:300]
    assert "Phone the archive" not in page(client_for(viewer), "/")
