import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_lesson, make_question
from hub.knowledge.models import Endorsement, Lesson, Question
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


def test_member_writes_a_lesson_with_its_links_and_history(viewer, affiliate):
    museum = OrganizationFactory(name="Museum of Glass", kind="museum")
    partnership = make_partnership(lead=affiliate, partners=[museum], title="Glass")
    lesson = services.lesson_create(
        actor=viewer,
        organization=affiliate,
        title="  Always   have a contract ",
        problem="A professor walked away.",
        solution="Sign before starting.",
        kind=Lesson.Kind.BAD,
        category="agreements",
        partnerships=[partnership],
        organizations=[museum],
        steps=["formal_agreement"],
        goals=["content"],
        partner_types=["university_research"],
    )
    assert lesson.title == "Always have a contract"
    assert lesson.author == viewer
    assert list(lesson.partnerships.all()) == [partnership]
    assert {(t.facet, t.value) for t in lesson.tags.all()} == {
        ("step", "formal_agreement"),
        ("goal", "content"),
        ("partner_type", "university_research"),
    }
    entry = HistoryEntry.objects.for_object(lesson).get()
    assert entry.changes["partnerships"] == [None, ["Glass"]]
    assert entry.changes["steps"] == [None, ["Formal agreement"]]


def test_nobody_writes_for_an_organization_they_are_not_a_member_of(outsider, affiliate):
    with pytest.raises(PermissionDenied):
        make_lesson(actor=outsider, organization=affiliate)


def test_a_lesson_cannot_link_a_partnership_its_author_may_not_see(outsider, other_affiliate):
    hidden = make_partnership(title="Secret", visibility="private")
    with pytest.raises(ValidationError) as caught:
        make_lesson(actor=outsider, organization=other_affiliate, partnerships=[hidden])
    assert "partnerships" in caught.value.message_dict


def test_an_unknown_topic_is_refused_on_its_field(editor, affiliate):
    with pytest.raises(ValidationError) as caught:
        make_lesson(actor=editor, organization=affiliate, steps=["no_such_step"])
    assert caught.value.message_dict == {"steps": ["Choose one of the listed topics."]}


def test_needs_review_needs_a_date(editor, affiliate):
    with pytest.raises(ValidationError) as caught:
        make_lesson(actor=editor, organization=affiliate, status="needs_review")
    assert "review_by" in caught.value.message_dict
    lesson = make_lesson(
        actor=editor,
        organization=affiliate,
        status="needs_review",
        review_by=datetime.date(2027, 1, 1),
    )
    assert lesson.review_by == datetime.date(2027, 1, 1)


def test_a_translation_is_of_an_original_in_another_language(editor, affiliate):
    original = make_lesson(actor=editor, organization=affiliate, language="en")
    german = make_lesson(
        actor=editor, organization=affiliate, language="de", translation_of=original
    )
    assert german.is_translation
    assert list(original.translations.all()) == [german]
    with pytest.raises(ValidationError) as same:
        make_lesson(actor=editor, organization=affiliate, language="en", translation_of=original)
    assert "language" in same.value.message_dict
    with pytest.raises(ValidationError) as chained:
        make_lesson(actor=editor, organization=affiliate, language="fr", translation_of=german)
    assert "translation_of" in chained.value.message_dict


def test_update_keeps_a_link_the_editor_may_not_see(editor, affiliate, staff):
    hidden = make_partnership(title="Secret", visibility="private")
    lesson = make_lesson(actor=staff, organization=affiliate, partnerships=[hidden])
    services.lesson_update(
        actor=editor, lesson=lesson, title="Renamed", partnerships=list(lesson.partnerships.all())
    )
    lesson.refresh_from_db()
    assert lesson.title == "Renamed"
    assert lesson.version == 2
    assert list(lesson.partnerships.all()) == [hidden]


def test_viewer_of_another_team_cannot_edit(outsider, affiliate, editor):
    lesson = make_lesson(actor=editor, organization=affiliate)
    with pytest.raises(PermissionDenied):
        services.lesson_update(actor=outsider, lesson=lesson, title="Mine now")


def test_one_endorsement_per_person_with_evidence_they_may_see(outsider, editor, affiliate):
    lesson = make_lesson(actor=editor, organization=affiliate)
    mine = make_partnership(lead=outsider.memberships.get().organization, title="Ours")
    endorsement = services.endorsement_create(
        actor=outsider, lesson=lesson, comment="Worked for us", partnership=mine
    )
    assert endorsement.partnership == mine
    with pytest.raises(ValidationError):
        services.endorsement_create(actor=outsider, lesson=lesson)
    hidden = make_partnership(title="Secret", visibility="private")
    with pytest.raises(ValidationError):
        services.endorsement_create(actor=editor, lesson=lesson, partnership=hidden)
    services.endorsement_delete(actor=outsider, endorsement=endorsement)
    assert not Endorsement.objects.exists()


def test_a_private_lesson_cannot_be_endorsed_by_an_outsider(outsider, editor, affiliate):
    lesson = make_lesson(actor=editor, organization=affiliate, visibility="private")
    with pytest.raises(PermissionDenied):
        services.endorsement_create(actor=outsider, lesson=lesson)


def test_clinic_flow_ask_answer_solve_and_turn_into_a_lesson(viewer, outsider, affiliate):
    partnership = make_partnership(lead=affiliate, title="Roundtable")
    question = make_question(
        actor=viewer,
        organization=affiliate,
        title="Partners only talk about outputs",
        body="Fourteen organizations, no ownership.",
        partnership=partnership,
        language="en",
        country="EE",
        goals=["advocacy"],
        steps=["co_design"],
    )
    answer = make_answer(question=question, actor=outsider, body="Let partners own a piece.")
    with pytest.raises(ValidationError):
        services.question_to_lesson(actor=viewer, question=question)
    with pytest.raises(PermissionDenied):
        services.question_mark_solved(actor=outsider, question=question, answer=answer)
    solved = services.question_mark_solved(actor=viewer, question=question, answer=answer)
    assert solved.status == Question.Status.SOLVED
    assert solved.solution == answer
    lesson = services.question_to_lesson(actor=viewer, question=question)
    assert lesson.status == Lesson.Status.DRAFT
    assert lesson.problem == "Fourteen organizations, no ownership."
    assert lesson.solution == "Let partners own a piece."
    assert lesson.organization == affiliate
    assert list(lesson.partnerships.all()) == [partnership]
    assert {(t.facet, t.value) for t in lesson.tags.all()} == {
        ("goal", "advocacy"),
        ("step", "co_design"),
    }
    question.refresh_from_db()
    assert question.lesson == lesson
    with pytest.raises(ValidationError):
        services.question_to_lesson(actor=viewer, question=question)


def test_an_answer_from_another_question_does_not_solve(viewer, outsider, affiliate):
    one = make_question(actor=viewer, organization=affiliate)
    other = make_question(actor=viewer, organization=affiliate, title="Another")
    answer = make_answer(question=other, actor=outsider)
    with pytest.raises(ValidationError):
        services.question_mark_solved(actor=viewer, question=one, answer=answer)


def test_nobody_answers_a_question_they_may_not_see(viewer, outsider, affiliate, anonymous):
    question = make_question(actor=viewer, organization=affiliate, visibility="private")
    with pytest.raises(PermissionDenied):
        make_answer(question=question, actor=outsider)
    with pytest.raises(PermissionDenied):
        make_answer(question=question, actor=anonymous)


def test_each_record_gives_its_search_document(viewer, outsider, editor, affiliate):
    lesson = make_lesson(
        actor=editor, organization=affiliate, title="T", problem="P", solution="S", language="de"
    )
    endorsement = services.endorsement_create(actor=outsider, lesson=lesson, comment="C")
    question = make_question(actor=viewer, organization=affiliate, title="Q", body="B")
    answer = make_answer(question=question, actor=outsider, body="A")
    assert lesson.search_document() == {"title": "T", "body": "P\n\nS", "language": "de"}
    assert endorsement.search_document() == {"title": "T", "body": "C", "language": "de"}
    assert question.search_document() == {"title": "Q", "body": "B", "language": "en"}
    assert answer.search_document() == {"title": "Q", "body": "A", "language": "en"}
