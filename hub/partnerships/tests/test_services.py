import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships import services
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Participant, Partnership

pytestmark = pytest.mark.django_db


def test_editor_creates_partnership_and_history_records_it(editor, affiliate):
    museum = OrganizationFactory(name="Museum")
    partnership = make_partnership(
        actor=editor, lead=affiliate, partners=[museum], title="Scans", goals=["content", "funding"]
    )
    assert partnership.goals == ["funding", "content"]
    assert partnership.direction == Partnership.Direction.EXTERNAL
    roles = dict(partnership.participants.values_list("organization__name", "role"))
    assert roles == {"Wikimedia Testland": "lead", "Museum": "partner"}
    entry = HistoryEntry.objects.for_object(partnership).get()
    assert entry.action == "create"
    assert entry.actor == editor
    assert entry.changes["title"] == [None, "Scans"]


def test_partnership_between_movement_organizations_is_internal(editor, affiliate):
    partnership = make_partnership(actor=editor, lead=affiliate, partners=[AffiliateFactory()])
    assert partnership.direction == Partnership.Direction.INTERNAL


def test_direction_override_needs_a_reason(editor, affiliate):
    with pytest.raises(ValidationError) as caught:
        make_partnership(actor=editor, lead=affiliate, direction_override="internal")
    assert "direction_override_reason" in caught.value.message_dict
    partnership = make_partnership(
        actor=editor,
        lead=affiliate,
        direction_override="internal",
        direction_override_reason="The museum is run by our volunteers",
    )
    assert partnership.direction == "internal"


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_only_editors_of_the_lead_create(persona, request, affiliate):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        make_partnership(actor=user, lead=affiliate)
    assert not Partnership.objects.exists()


def test_lead_must_be_a_movement_organization(staff):
    with pytest.raises(ValidationError) as caught:
        make_partnership(actor=staff, lead=OrganizationFactory())
    assert "lead" in caught.value.message_dict


def test_at_least_one_goal_and_one_participant(editor, affiliate):
    with pytest.raises(ValidationError) as caught:
        make_partnership(actor=editor, lead=affiliate, goals=[])
    assert "goals" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_partnership(actor=editor, lead=affiliate, partners=[])
    assert "participants" in caught.value.message_dict
    assert not Partnership.objects.exists()


def test_database_refuses_a_partnership_without_goal_or_with_end_before_start(affiliate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(title="No goal", lead=affiliate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            title="Backwards",
            lead=affiliate,
            goal_content=True,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 4, 1),
        )


def test_update_records_only_what_changed_and_bumps_the_version(editor, affiliate):
    museum, school = OrganizationFactory(name="Museum"), OrganizationFactory(name="School")
    partnership = make_partnership(actor=editor, lead=affiliate, partners=[museum], title="Old")
    services.partnership_update(
        actor=editor,
        partnership=partnership,
        expected_version=1,
        title="New",
        participants=[services.ParticipantSpec(museum), services.ParticipantSpec(school, "funder")],
    )
    partnership.refresh_from_db()
    assert partnership.version == 2
    change = HistoryEntry.objects.for_object(partnership).filter(action="change").get()
    assert set(change.changes) == {"title", "participants"}
    assert change.changes["title"] == ["Old", "New"]
    assert "School (Funder)" in change.changes["participants"][1]


def test_update_with_a_stale_version_changes_nothing(editor, affiliate):
    partnership = make_partnership(actor=editor, lead=affiliate, title="Mine")
    services.partnership_update(actor=editor, partnership=partnership, title="Theirs")
    with pytest.raises(StaleVersionError):
        services.partnership_update(
            actor=editor, partnership=partnership, expected_version=1, title="Mine again"
        )
    partnership.refresh_from_db()
    assert partnership.title == "Theirs"


def test_update_that_changes_nothing_records_nothing(editor, affiliate):
    partnership = make_partnership(actor=editor, lead=affiliate, title="Same")
    services.partnership_update(actor=editor, partnership=partnership, title="Same")
    partnership.refresh_from_db()
    assert partnership.version == 1
    assert HistoryEntry.objects.for_object(partnership).count() == 1


def test_outsider_cannot_update(outsider, editor, affiliate):
    partnership = make_partnership(actor=editor, lead=affiliate)
    with pytest.raises(PermissionDenied):
        services.partnership_update(actor=outsider, partnership=partnership, title="Taken")


def test_lead_can_move_to_another_participant(staff, affiliate, other_affiliate):
    partnership = make_partnership(actor=staff, lead=affiliate, partners=[other_affiliate])
    services.partnership_update(
        actor=staff,
        partnership=partnership,
        lead=other_affiliate,
        participants=[services.ParticipantSpec(affiliate)],
    )
    roles = dict(partnership.participants.values_list("organization__short_code", "role"))
    assert roles == {"WMOL": "lead", "WMTL": "partner"}
    assert Participant.objects.filter(partnership=partnership, role="lead").count() == 1


def test_end_keeps_the_record_and_says_why(editor, affiliate):
    partnership = make_partnership(
        actor=editor, lead=affiliate, start_date=datetime.date(2020, 1, 1)
    )
    services.partnership_end(
        actor=editor,
        partnership=partnership,
        status="ended_early",
        end_date=datetime.date(2021, 6, 30),
        reason="The partner lost its funding.",
    )
    partnership.refresh_from_db()
    assert (partnership.status, partnership.end_reason) == (
        "ended_early",
        "The partner lost its funding.",
    )
    assert HistoryEntry.objects.for_object(partnership).filter(action="end").exists()
    with pytest.raises(ValidationError):
        services.partnership_end(actor=editor, partnership=partnership, status="active")


def test_end_date_before_start_is_refused(editor, affiliate):
    partnership = make_partnership(
        actor=editor, lead=affiliate, start_date=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.partnership_end(
            actor=editor, partnership=partnership, end_date=datetime.date(2019, 1, 1)
        )
    partnership.refresh_from_db()
    assert partnership.status == "active"
