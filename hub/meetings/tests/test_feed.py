"""The calendar feed, read by vobject (an iCalendar parser nobody on the team wrote): the meetings
and to-dos with their dates and statuses, nothing the person may not see, and a revoked address
answers 404."""

import datetime

import pytest
import vobject
from django.urls import reverse

from hub.core.models import Visibility
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting
from hub.meetings.models import CalendarFeed
from hub.meetings.models.feeds import hash_token

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC)


def _address(client, user) -> str:
    client.force_login(user)
    response = client.post(reverse("meetings:feed_settings"), {"action": "new"})
    assert response.status_code == 200
    return response.context["new_address"]


def _read(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return vobject.readOne(response.content.decode())


def test_the_feed_holds_my_meetings_and_to_dos(
    client, affiliate, other_affiliate, editor, viewer, outsider
):
    ours = make_meeting(
        actor=editor,
        organization=affiliate,
        title="Partnerships workshop",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=7),
        place="Berlin",
        agenda="Mapping exercise",
        visibility=Visibility.PRIVATE,
    )
    services.participant_add(actor=editor, meeting=ours, name="Shy Person", private=True)
    theirs = make_meeting(
        actor=outsider, organization=other_affiliate, title="Their secret", visibility="private"
    )
    public_elsewhere = make_meeting(actor=outsider, organization=other_affiliate, title="Open day")
    services.participant_add(actor=outsider, meeting=public_elsewhere, user=viewer)
    make_meeting(
        actor=outsider, organization=other_affiliate, title="Not mine", visibility="public"
    )
    todo = make_item(
        meeting=ours, owner=viewer, what="Blog post", due_on=datetime.date(2026, 12, 15)
    )
    done = make_item(meeting=ours, owner=viewer, what="Photos to Commons")
    services.action_item_set_status(actor=viewer, item=done, status="completed")
    make_item(meeting=ours, owner=viewer, what="Vision document", status="in_progress")
    make_item(meeting=theirs, owner=outsider, what="Their step")

    cal = _read(client, _address(client, viewer))
    events = {e.summary.value: e for e in cal.vevent_list}
    assert set(events) == {"Partnerships workshop", "Open day"}
    workshop = events["Partnerships workshop"]
    assert workshop.dtstart.value == START
    assert workshop.dtend.value == START + datetime.timedelta(hours=7)
    assert workshop.location.value == "Berlin"
    assert "Mapping exercise" in workshop.description.value
    assert workshop.url.value.endswith(ours.get_absolute_url())
    todos = {t.summary.value: t for t in cal.vtodo_list}
    assert set(todos) == {"Blog post", "Photos to Commons", "Vision document"}
    assert todos["Blog post"].due.value == datetime.date(2026, 12, 15)
    assert todos["Blog post"].status.value == "NEEDS-ACTION"
    assert todos["Vision document"].status.value == "IN-PROCESS"
    assert todos["Photos to Commons"].status.value == "COMPLETED"
    done.refresh_from_db()
    assert todos["Photos to Commons"].completed.value == done.completed_at.replace(microsecond=0)
    assert todos["Blog post"].url.value.endswith(f"#action-{todo.pk}")
    assert "Shy Person" not in client.get(_address(client, viewer)).content.decode()


def test_a_meeting_i_may_no_longer_see_leaves_the_feed(client, affiliate, editor, viewer):
    make_meeting(actor=editor, organization=affiliate, title="Team day", visibility="private")
    address = _address(client, viewer)
    assert [e.summary.value for e in _read(client, address).vevent_list] == ["Team day"]
    viewer.memberships.all().delete()
    assert "vevent" not in _read(client, address).contents


def test_a_new_address_replaces_the_old_and_a_revoked_one_answers_404(client, viewer, affiliate):
    old = _address(client, viewer)
    new = _address(client, viewer)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("meetings:feed_settings"), {"action": "revoke"})
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get(reverse("meetings:feed", args=["guessed"])).status_code == 404


def test_only_a_fingerprint_of_the_address_is_stored(client, viewer, affiliate):
    address = _address(client, viewer)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get()
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    page = client.get(reverse("meetings:feed_settings")).content.decode()
    assert token not in page


def test_an_inactive_persons_feed_answers_404(client, viewer, affiliate):
    address = _address(client, viewer)
    viewer.is_active = False
    viewer.save()
    assert client.get(address).status_code == 404
