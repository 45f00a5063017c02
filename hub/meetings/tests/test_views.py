"""Meeting pages through the test client: who sees what (private participants, private meetings,
linked partnerships, history, search), the forms' bad input, "my next steps"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.core.models import Visibility
from hub.core.search import terms
from hub.core.search.query import Filters
from hub.core.search.query import search as run
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting
from hub.meetings.models import ActionItem, Meeting
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_meeting(affiliate, editor, viewer):
    meeting = make_meeting(
        actor=editor,
        organization=affiliate,
        title="Backbone planning",
        notes="The quokkafish plan",
        visibility=Visibility.PRIVATE,
    )
    services.participant_add(actor=editor, meeting=meeting, name="Open Olga")
    services.participant_add(actor=editor, meeting=meeting, name="Shy Sam", private=True)
    make_item(meeting=meeting, actor=editor, owner=viewer, what="Draft the one-pager")
    return meeting


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("name", ["meetings:detail", "meetings:history"])
def test_outsider_and_anonymous_get_404_for_a_private_meeting(
    client, private_meeting, outsider, name
):
    url = reverse(name, args=[private_meeting.pk])
    assert client.get(url).status_code == 404
    assert _get(client, outsider, url).status_code == 404


def test_the_list_shows_only_meetings_one_may_see(client, private_meeting, outsider, viewer):
    assert (
        "Backbone planning" not in _get(client, outsider, reverse("meetings:list")).content.decode()
    )
    assert "Backbone planning" in _get(client, viewer, reverse("meetings:list")).content.decode()


def test_a_private_participant_is_named_only_to_editors(client, private_meeting, viewer, editor):
    url = reverse("meetings:detail", args=[private_meeting.pk])
    seen = _get(client, viewer, url).content.decode()
    assert "Open Olga" in seen
    assert "Shy Sam" not in seen
    assert "And 1 participant who is not named." in seen
    history = _get(client, viewer, reverse("meetings:history", args=[private_meeting.pk]))
    assert "Open Olga" in history.content.decode()
    assert "Shy Sam" not in history.content.decode()
    assert "Shy Sam" in _get(client, editor, url).content.decode()
    assert (
        "Shy Sam"
        in _get(
            client, editor, reverse("meetings:history", args=[private_meeting.pk])
        ).content.decode()
    )


def test_a_linked_private_partnership_is_shown_only_to_who_may_see_it(
    client, affiliate, other_affiliate, editor, outsider
):
    theirs = make_partnership(
        lead=other_affiliate, title="Secret museum deal", visibility=Visibility.PRIVATE
    )
    meeting = make_meeting(actor=outsider, organization=other_affiliate, partnerships=[theirs])
    services.meeting_update(
        actor=outsider, meeting=meeting, organizations=[other_affiliate, affiliate]
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "Secret museum deal" in _get(client, outsider, url).content.decode()
    client.logout()
    assert "Secret museum deal" not in _get(client, editor, url).content.decode()
    history = _get(client, editor, reverse("meetings:history", args=[meeting.pk]))
    assert "Secret museum deal" not in history.content.decode()
    # Saving the form keeps the link the editor does not see.
    response = client.get(reverse("meetings:edit", args=[meeting.pk]))
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["starts_at"] = form.initial["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form.initial["ends_at"].strftime("%Y-%m-%dT%H:%M")
    data["notes"] = "Edited by a co-organizer"
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Edited by a co-organizer"
    assert list(meeting.partnerships.all()) == [theirs]


@pytest.mark.django_db(transaction=True)
def test_search_finds_a_private_meeting_for_its_team_only(
    private_meeting, viewer, outsider, anonymous
):
    def found(user):
        return [h.plain_title for h in run(user, terms.parse("quokkafish"), Filters()).hits]

    assert found(viewer) == ["Backbone planning"]
    assert found(outsider) == []
    assert found(anonymous) == []
    assert [h.plain_title for h in run(viewer, terms.parse("Shy"), Filters()).hits] == []


def test_record_a_meeting_through_the_form(client, affiliate, editor):
    client.force_login(editor)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Workshop",
            "starts_at": "2026-11-03T10:00",
            "ends_at": "2026-11-03T17:00",
            "time_zone": "Europe/Vienna",
            "organizations": [affiliate.pk],
            "visibility": "movement",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Nov. 3, 2026, 10 a.m." in page
    assert "Europe/Vienna time" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2026-11-03T09:00"}, "ends_at", "A meeting ends after it starts."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
        ({"online_link": "javascript:alert(1)"}, "online_link", "https://"),
        ({"organizations": []}, "organizations", "This field is required."),
        ({"organizations": ["99999999999999999999999"]}, "organizations", "valid choice"),
    ],
)
def test_bad_meeting_input_is_named_on_its_field(client, affiliate, editor, change, field, message):
    client.force_login(editor)
    data = {
        "title": "Workshop",
        "starts_at": "2026-11-03T10:00",
        "ends_at": "2026-11-03T17:00",
        "time_zone": "Europe/Vienna",
        "organizations": [affiliate.pk],
        "visibility": "movement",
        **change,
    }
    response = client.post(reverse("meetings:create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_an_organization_the_editor_is_not_in_cannot_be_posted(
    client, affiliate, other_affiliate, editor
):
    client.force_login(editor)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "Workshop",
            "starts_at": "2026-11-03T10:00",
            "ends_at": "2026-11-03T17:00",
            "time_zone": "UTC",
            "organizations": [other_affiliate.pk],
            "visibility": "movement",
        },
    )
    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors


def test_add_a_decision_and_an_action_item_and_mark_it_done(client, affiliate, editor, viewer):
    meeting = make_meeting(actor=editor, organization=affiliate)
    client.force_login(editor)
    bad = client.post(reverse("meetings:decision_add", args=[meeting.pk]), {"statement": ""})
    assert "statement" in bad.context["form"].errors
    client.post(reverse("meetings:decision_add", args=[meeting.pk]), {"statement": "Write it"})
    decision = meeting.decisions.get()
    url = reverse("meetings:action_item_add", args=[meeting.pk])
    nobody = client.post(url, {"what": "Orphan", "status": "needs_action", "remind_days_before": 3})
    assert "owner" in nobody.context["form"].errors
    too_far = client.post(
        url, {"what": "x", "owner": viewer.pk, "status": "needs_action", "remind_days_before": 99}
    )
    assert "remind_days_before" in too_far.context["form"].errors
    response = client.post(
        url,
        {
            "what": "Vision document",
            "owner": viewer.pk,
            "due_on": "2027-01-15",
            "status": "needs_action",
            "decision": decision.pk,
            "remind_days_before": 3,
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner, item.decision, item.created_by) == (viewer, decision, editor)
    client.force_login(viewer)
    client.post(reverse("meetings:action_item_status", args=[item.pk]), {"status": "completed"})
    item.refresh_from_db()
    assert item.status == "completed"
    bad_status = client.post(
        reverse("meetings:action_item_status", args=[item.pk]), {"status": "x"}
    )
    assert bad_status.status_code == 302
    item.refresh_from_db()
    assert item.status == "completed"


def test_my_next_steps_marks_due_soon_and_overdue(client, affiliate, editor, viewer):
    meeting = make_meeting(actor=editor, organization=affiliate, title="Workshop")
    today = timezone.localdate()
    make_item(
        meeting=meeting,
        actor=editor,
        owner=viewer,
        what="Late step",
        due_on=today - datetime.timedelta(days=2),
    )
    make_item(
        meeting=meeting, owner=viewer, what="Soon step", due_on=today + datetime.timedelta(days=2)
    )
    done = make_item(meeting=meeting, owner=viewer, what="Done step")
    services.action_item_set_status(actor=viewer, item=done, status="completed")
    make_item(meeting=meeting, actor=editor, owner=editor, what="Editor's own")
    client.force_login(viewer)
    page = client.get(reverse("meetings:next_steps")).content.decode()
    assert "Late step" in page
    assert "Overdue" in page
    assert "Soon step" in page
    assert "Due soon" in page
    assert "Done step" not in page
    assert "Editor&#x27;s own" not in page
    done_page = client.get(reverse("meetings:next_steps") + "?show=done").content.decode()
    assert "Done step" in done_page
    assert "Late step" not in done_page
    client.force_login(editor)
    created = client.get(reverse("meetings:next_steps") + "?whose=created").content.decode()
    assert "Late step" in created
    assert "Editor&#x27;s own" in created
    assigned = client.get(reverse("meetings:next_steps") + "?whose=assigned").content.decode()
    assert "Late step" not in assigned
    assert "Editor&#x27;s own" in assigned


def test_a_contact_person_is_named_only_to_who_may_see_the_contact(
    client, affiliate, other_affiliate, editor, outsider
):
    from hub.directory.factories import OrganizationFactory
    from hub.directory.models import Person

    museum = OrganizationFactory(name="City Museum")
    contact = Person.objects.create(
        organization=museum, steward=affiliate, name="Curator Carla", consent_note="Agreed"
    )
    meeting = make_meeting(actor=editor, organization=affiliate, visibility=Visibility.PUBLIC)
    services.participant_add(actor=editor, meeting=meeting, person=contact)
    url = reverse("meetings:detail", args=[meeting.pk])
    api = reverse("api:meeting_detail", args=[meeting.pk])
    assert "Curator Carla" in _get(client, editor, url).content.decode()
    for user in (outsider, None):
        client.logout()
        page = _get(client, user, url).content.decode()
        assert "Curator Carla" not in page
        assert "And 1 participant who is not named." in page
        body = client.get(api).json()
        assert (body["participants"], body["private_participants"]) == ([], 1)
        history = _get(client, user, reverse("meetings:history", args=[meeting.pk]))
        assert "Curator Carla" not in history.content.decode()


@pytest.mark.parametrize("name", ["meetings:list", "meetings:next_steps"])
def test_list_pages_ask_the_same_number_of_queries_for_3_and_30_rows(
    client, affiliate, editor, viewer, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    counts = []
    for start, end in ((0, 3), (3, 30)):
        for n in range(start, end):
            meeting = make_meeting(actor=editor, organization=affiliate, title=f"Meeting {n}")
            make_item(meeting=meeting, actor=editor, owner=viewer, what=f"Step {n}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert f"Meeting {end - 1}" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
