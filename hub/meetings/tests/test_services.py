"""The meeting services: who may write what, the single-row rules, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry, Visibility
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.models import Organization
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting
from hub.meetings.models import ActionItem, Meeting
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)


def test_a_member_records_a_meeting_for_their_organization(affiliate, viewer):
    meeting = services.meeting_create(
        actor=viewer,
        title="  Partnerships   workshop ",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=8),
        organizations=[affiliate],
        time_zone="Europe/Berlin",
        visibility=Visibility.PRIVATE,
    )
    assert meeting.title == "Partnerships workshop"
    assert meeting.author == viewer
    assert list(meeting.organizations.all()) == [affiliate]
    assert meeting.local_start.hour == 10  # Berlin is UTC+1 in November
    entry = HistoryEntry.objects.for_object(meeting).get()
    assert entry.action == "create"
    assert entry.changes["organizations"] == [None, ["Wikimedia Testland"]]


def test_an_outsider_cannot_organize_for_another_affiliate(affiliate, outsider):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=outsider, organization=affiliate)
    assert not Meeting.objects.exists()


def test_an_external_organization_cannot_organize(affiliate, editor):
    museum = OrganizationFactory()
    with pytest.raises(ValidationError) as caught:
        make_meeting(actor=editor, organizations=[affiliate, museum])
    assert "organizations" in caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"ends_at": START - datetime.timedelta(hours=1)}, "ends_at"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
    ],
)
def test_bad_meeting_fields_are_refused_by_name(affiliate, editor, fields, field):
    with pytest.raises(ValidationError) as caught:
        make_meeting(actor=editor, organization=affiliate, starts_at=START, **fields)
    assert field in caught.value.message_dict


def test_an_update_with_a_stale_version_is_refused(affiliate, editor):
    meeting = make_meeting(actor=editor, organization=affiliate)
    services.meeting_update(actor=editor, meeting=meeting, expected_version=1, notes="First")
    with pytest.raises(StaleVersionError):
        services.meeting_update(actor=editor, meeting=meeting, expected_version=1, notes="Second")
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.version) == ("First", 2)


def test_a_viewer_cannot_edit_but_an_editor_can(affiliate, editor, viewer):
    meeting = make_meeting(actor=editor, organization=affiliate)
    other = make_meeting(actor=viewer, organization=affiliate)
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=viewer, meeting=meeting, notes="Mine now")
    services.meeting_update(actor=editor, meeting=other, notes="Ours")
    services.meeting_update(actor=viewer, meeting=other, agenda="The author edits too")


def test_linked_partnerships_must_be_visible_to_the_actor(affiliate, editor, other_affiliate):
    hidden = make_partnership(lead=other_affiliate, visibility=Visibility.PRIVATE)
    with pytest.raises(ValidationError) as caught:
        make_meeting(actor=editor, organization=affiliate, partnerships=[hidden])
    assert "partnerships" in caught.value.message_dict


def test_alliances_are_alliances(affiliate, editor):
    with pytest.raises(ValidationError):
        make_meeting(actor=editor, organization=affiliate, alliances=[AffiliateFactory()])
    hub = OrganizationFactory(kind=Organization.Kind.HUB, name="CEE Hub")
    meeting = make_meeting(actor=editor, organization=affiliate, alliances=[hub])
    assert list(meeting.alliances.all()) == [hub]


def test_participants_are_one_of_member_contact_or_name(affiliate, editor, viewer):
    meeting = make_meeting(actor=editor, organization=affiliate)
    services.participant_add(actor=editor, meeting=meeting, user=viewer)
    with pytest.raises(ValidationError):
        services.participant_add(actor=editor, meeting=meeting, user=viewer)
    with pytest.raises(ValidationError):
        services.participant_add(actor=editor, meeting=meeting, user=editor, name="Also a name")
    with pytest.raises(ValidationError):
        services.participant_add(actor=editor, meeting=meeting, name="   ")
    assert meeting.participants.count() == 1


def test_a_private_participant_is_recorded_under_its_own_key(affiliate, editor):
    meeting = make_meeting(actor=editor, organization=affiliate)
    shy = services.participant_add(actor=editor, meeting=meeting, name="Shy One", private=True)
    services.participant_remove(actor=editor, participant=shy)
    keys = [list(e.changes) for e in HistoryEntry.objects.for_object(meeting)]
    assert keys.count(["private_participant"]) == 2
    assert not meeting.participants.exists()


def test_action_item_rules(affiliate, editor, outsider):
    meeting = make_meeting(actor=editor, organization=affiliate, visibility=Visibility.PRIVATE)
    other = make_meeting(actor=editor, organization=affiliate)
    decision = services.decision_add(actor=editor, meeting=other, statement="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        make_item(meeting=meeting, actor=editor, owner=outsider)
    assert "owner" in caught.value.message_dict  # the owner would not see the meeting
    with pytest.raises(ValidationError) as caught:
        make_item(meeting=meeting, actor=editor, owner_organization=affiliate, decision=decision)
    assert "decision" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.action_item_create(actor=editor, meeting=meeting, what="Nobody's")
    assert "owner" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_item(meeting=meeting, actor=editor, remind_days_before=61)
    assert "remind_days_before" in caught.value.message_dict


def test_the_owner_changes_the_status_and_completion_is_dated(affiliate, editor, viewer, outsider):
    meeting = make_meeting(actor=editor, organization=affiliate)
    item = make_item(meeting=meeting, actor=editor, owner=viewer)
    done = services.action_item_set_status(actor=viewer, item=item, status="completed")
    assert done.completed_at is not None
    assert done.version == 2
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(actor=outsider, item=item, status="cancelled")
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=viewer, item=item, what="Owners change only the status")
    again = services.action_item_set_status(actor=editor, item=item, status="in_progress")
    assert again.completed_at is None
    statuses = [e.changes.get("status") for e in HistoryEntry.objects.for_object(item)]
    assert ["Completed", "In progress"] in statuses


def test_querysets_open_overdue_due_soon(affiliate, editor):
    meeting = make_meeting(actor=editor, organization=affiliate)
    today = timezone.localdate()
    late = make_item(meeting=meeting, what="Late", due_on=today - datetime.timedelta(days=1))
    soon = make_item(meeting=meeting, what="Soon", due_on=today + datetime.timedelta(days=7))
    later = make_item(meeting=meeting, what="Later", due_on=today + datetime.timedelta(days=8))
    done = make_item(meeting=meeting, what="Done", due_on=today, status="completed")
    items = ActionItem.objects.all()
    assert set(items.open()) == {late, soon, later}
    assert list(items.overdue()) == [late]
    assert list(items.due_soon()) == [soon]
    assert list(items.done()) == [done]
    assert late.is_overdue()
    assert soon.is_due_soon()
    assert not done.is_due_soon()
