"""The meetings API: whole payloads for the caller, private participants and meetings withheld."""

import datetime

import pytest
from django.urls import reverse

from hub.core.models import Visibility
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting

pytestmark = pytest.mark.django_db

START = datetime.datetime(2030, 11, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(affiliate, editor, viewer):
    meeting = make_meeting(
        actor=editor,
        organization=affiliate,
        title="Backbone planning",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
        visibility=Visibility.PRIVATE,
    )
    services.participant_add(actor=editor, meeting=meeting, name="Open Olga")
    services.participant_add(actor=editor, meeting=meeting, name="Shy Sam", private=True)
    decision = services.decision_add(actor=editor, meeting=meeting, statement="Write it")
    make_item(
        meeting=meeting,
        actor=editor,
        owner=viewer,
        what="Draft",
        due_on=datetime.date(2027, 1, 15),
        decision=decision,
    )
    return meeting


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_a_viewer_reads_the_meeting_without_its_private_participant(client, meeting, viewer):
    body = _get(client, viewer, reverse("api:meeting_detail", args=[meeting.pk])).json()
    decision = meeting.decisions.get()
    item = meeting.action_items.get()
    org = meeting.organizations.get()
    assert body == {
        "id": meeting.pk,
        "title": "Backbone planning",
        "starts_at": "2030-11-03T09:00:00Z",
        "ends_at": "2030-11-03T11:00:00Z",
        "time_zone": "Europe/Berlin",
        "place": "",
        "online_link": "",
        "organizations": [{"id": org.pk, "name": org.name, "short_code": org.short_code}],
        "agenda": "",
        "notes": "",
        "visibility": "private",
        "partnerships": [],
        "alliances": [],
        "participants": [{"name": "Open Olga", "organization": None, "private": False}],
        "private_participants": 1,
        "decisions": [{"id": decision.pk, "statement": "Write it", "review_on": None}],
        "action_items": [
            {
                "id": item.pk,
                "meeting": meeting.pk,
                "what": "Draft",
                "owner": "viewer",
                "owner_organization": None,
                "due_on": "2027-01-15",
                "status": "needs_action",
                "decision": decision.pk,
                "partnership": None,
                "alliance": None,
                "completed_at": None,
                "remind_days_before": 3,
                "url": f"http://testserver/meetings/{meeting.pk}/#action-{item.pk}",
            }
        ],
        "is_demo": False,
        "version": 1,
        "url": f"http://testserver/meetings/{meeting.pk}/",
    }


def test_an_editor_reads_the_private_participant(client, meeting, editor):
    body = _get(client, editor, reverse("api:meeting_detail", args=[meeting.pk])).json()
    assert [p["name"] for p in body["participants"]] == ["Open Olga", "Shy Sam"]
    assert body["private_participants"] == 0


def test_outsiders_get_404_and_an_empty_list(client, meeting, outsider):
    assert client.get(reverse("api:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("api:meeting_list")).json()["items"] == []
    assert (
        _get(client, outsider, reverse("api:meeting_detail", args=[meeting.pk])).status_code == 404
    )
    assert _get(client, outsider, reverse("api:meeting_list")).json()["items"] == []
    assert _get(client, outsider, reverse("api:action_item_list")).json()["items"] == []


def test_my_action_items(client, meeting, viewer, editor):
    url = reverse("api:action_item_list")
    assert [i["what"] for i in _get(client, viewer, url + "?mine=assigned").json()["items"]] == [
        "Draft"
    ]
    assert _get(client, viewer, url + "?mine=created").json()["items"] == []
    assert [i["what"] for i in _get(client, editor, url + "?mine=created").json()["items"]] == [
        "Draft"
    ]
    assert _get(client, editor, url + "?status=done").json()["items"] == []
    assert _get(client, editor, url + "?mine=everyone").status_code == 422


def test_the_list_filters_by_time(client, meeting, viewer):
    url = reverse("api:meeting_list")
    assert len(_get(client, viewer, url + "?when=past").json()["items"]) == 0
    assert len(_get(client, viewer, url + "?when=upcoming").json()["items"]) == 1
    assert _get(client, viewer, url + "?when=tomorrow").status_code == 422


def test_the_owner_completes_an_item_through_the_api(client, meeting, viewer, outsider):
    item = meeting.action_items.get()
    url = reverse("api:action_item_status", args=[item.pk])
    client.force_login(outsider)
    assert (
        client.post(url, {"status": "completed"}, content_type="application/json").status_code
        == 404
    )
    client.force_login(viewer)
    bad = client.post(url, {"status": "done"}, content_type="application/json")
    assert bad.status_code == 422
    extra = client.post(url, {"status": "completed", "what": "x"}, content_type="application/json")
    assert extra.status_code == 422
    body = client.post(url, {"status": "completed"}, content_type="application/json").json()
    item.refresh_from_db()
    assert (body["status"], item.status) == ("completed", "completed")
    assert body["completed_at"] is not None
