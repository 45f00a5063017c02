"""The assessment services: who may assess, who reads what, bad input, history, evidence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.accounts.factories import MembershipFactory
from hub.alliances.assessments import rubric, services
from hub.alliances.assessments.evidence import shown
from hub.alliances.assessments.factories import levels, make_alliance, make_assessment
from hub.alliances.assessments.models import Assessment, Evidence, Score
from hub.core.models import HistoryEntry, Visibility
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(affiliate):
    return make_alliance(members=[affiliate])


def test_an_editor_of_a_member_assesses_every_item(alliance, affiliate, editor):
    assessment = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        scores=levels(3, common_agenda=1, mobilize_funding=None),
        note="  First round.  ",
    )
    scores = {s.item: s.level for s in assessment.scores.all()}
    assert len(scores) == len(rubric.ITEMS) == 14
    assert scores["common_agenda"] == 1
    assert scores["mobilize_funding"] is None
    assert scores["advance_policy"] == 3
    assert assessment.note == "First round."
    entry = HistoryEntry.objects.get(object_id=assessment.pk, content_type__model="assessment")
    assert entry.action == "create"
    assert entry.changes["level_common_agenda"] == [None, "Level 1: Just Begun"]
    assert entry.changes["level_mobilize_funding"] == [None, "Don't know"]


def test_viewers_outsiders_and_non_members_may_not_assess(
    alliance, affiliate, viewer, outsider, other_affiliate
):
    with pytest.raises(PermissionDenied):
        make_assessment(actor=viewer, alliance=alliance, organization=affiliate)
    with pytest.raises(PermissionDenied):
        make_assessment(actor=outsider, alliance=alliance, organization=other_affiliate)
    assert not Assessment.objects.exists()


def test_an_editor_of_the_alliance_itself_assesses_it(alliance):
    coordinator = MembershipFactory(organization=alliance, role="editor").user
    made = make_assessment(actor=coordinator, alliance=alliance, organization=alliance)
    assert made.organization == alliance


def test_a_chapter_is_not_assessed(affiliate, editor):
    with pytest.raises(ValidationError) as caught:
        make_assessment(actor=editor, alliance=affiliate, organization=affiliate)
    assert "alliance" in caught.value.message_dict


def test_bad_levels_future_dates_and_a_second_one_the_same_day_are_refused(
    alliance, affiliate, editor
):
    with pytest.raises(ValidationError) as caught:
        make_assessment(actor=editor, alliance=alliance, organization=affiliate, scores=levels(5))
    assert "level_common_agenda" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_assessment(
            actor=editor, alliance=alliance, organization=affiliate, scores={"vibes": {"level": 2}}
        )
    assert "scores" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_assessment(
            actor=editor,
            alliance=alliance,
            organization=affiliate,
            assessed_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert "assessed_on" in caught.value.message_dict
    make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    with pytest.raises(ValidationError) as caught:
        make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    assert "assessed_on" in caught.value.message_dict
    assert Assessment.objects.count() == 1
    assert Score.objects.count() == 14


def test_who_reads_drafts_alliance_and_movement_assessments(
    alliance, affiliate, editor, viewer, outsider, staff, anonymous
):
    draft = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        sharing="draft",
        assessed_on=datetime.date(2026, 1, 1),
    )
    inside = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        sharing="alliance",
        assessed_on=datetime.date(2026, 1, 2),
    )
    public = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        sharing="movement",
        assessed_on=datetime.date(2026, 1, 3),
    )

    def seen(user):
        return set(Assessment.objects.visible_to(user))

    assert seen(editor) == {draft, inside, public}
    assert seen(viewer) == {inside, public}
    assert seen(outsider) == {public}
    assert seen(anonymous) == set()
    assert seen(staff) == {draft, inside, public}
    assert set(Assessment.objects.visible_to(viewer).shared()) == {inside, public}


def test_a_former_member_no_longer_reads_the_alliances_assessments(
    alliance, affiliate, editor, viewer
):
    inside = make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    assert Assessment.objects.visible_to(viewer).filter(pk=inside.pk).exists()
    alliance.memberships.update(until=datetime.date(2020, 1, 1), since=None)
    assert not Assessment.objects.visible_to(viewer).filter(pk=inside.pk).exists()
    with pytest.raises(PermissionDenied):
        make_assessment(
            actor=editor,
            alliance=alliance,
            organization=affiliate,
            assessed_on=datetime.date(2026, 2, 1),
        )


def test_update_changes_levels_records_history_and_refuses_others(
    alliance, affiliate, editor, manager, outsider
):
    assessment = make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    with pytest.raises(PermissionDenied):
        services.assessment_update(actor=manager, assessment=assessment, note="Not mine")
    updated = services.assessment_update(
        actor=editor,
        assessment=assessment,
        expected_version=1,
        scores=levels(2, backbone_support=4),
        note="Better backbone",
    )
    assert updated.version == 2
    assert updated.scores.get(item="backbone_support").level == 4
    entry = HistoryEntry.objects.filter(object_id=assessment.pk, action="change").get()
    assert entry.changes["level_backbone_support"] == ["Level 2", "Level 4: Completely Achieved"]
    assert entry.changes["note"] == ["", "Better backbone"]
    with pytest.raises(PermissionDenied):
        services.assessment_delete(actor=outsider, assessment=assessment)


def test_the_alliances_manager_may_change_and_delete_an_assessment(alliance, affiliate, editor):
    coordinator = MembershipFactory(organization=alliance, role="manager").user
    assessment = make_assessment(actor=editor, alliance=alliance, organization=affiliate)
    services.assessment_update(actor=coordinator, assessment=assessment, sharing="movement")
    services.assessment_delete(actor=coordinator, assessment=assessment)
    assert not Assessment.objects.exists()
    assert not Score.objects.exists()
    assert HistoryEntry.objects.filter(object_id=assessment.pk, action="delete").exists()


def test_evidence_is_linked_only_to_records_the_assessor_sees_and_shown_to_those_who_see_them(
    alliance, affiliate, editor, outsider, other_affiliate
):
    open_one = make_partnership(lead=affiliate, title="Open work", visibility=Visibility.PUBLIC)
    secret = make_partnership(lead=affiliate, title="Secret work", visibility=Visibility.PRIVATE)
    elsewhere = make_partnership(
        lead=other_affiliate, title="Other's secret", visibility=Visibility.PRIVATE
    )
    with pytest.raises(ValidationError) as caught:
        make_assessment(
            actor=editor,
            alliance=alliance,
            organization=affiliate,
            scores={"common_agenda": {"level": 2, "evidence": [("partnership", elsewhere.pk)]}},
        )
    assert "evidence_common_agenda" in caught.value.message_dict
    assessment = make_assessment(
        actor=editor,
        alliance=alliance,
        organization=affiliate,
        sharing="movement",
        scores={
            "common_agenda": {
                "level": 2,
                "evidence": [("partnership", open_one.pk), ("partnership", secret.pk)],
            }
        },
    )
    rows = Evidence.objects.filter(score__assessment=assessment)
    assert {s.title for links in shown(editor, rows).values() for s in links} == {
        "Open work",
        "Secret work",
    }
    assert {s.title for links in shown(outsider, rows).values() for s in links} == {"Open work"}
