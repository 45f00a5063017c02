"""A private lesson or question answers 404 to those who may not see it, and its text reaches
them through no list, count, endorsement, history or linked partnership."""

import pytest
from django.urls import reverse

from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_lesson, make_question
from hub.knowledge.models import Answer, Endorsement, Lesson, Question
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar-secret-words"


@pytest.fixture
def private_lesson(editor, affiliate):
    return make_lesson(
        actor=editor, organization=affiliate, title=SECRET, problem=SECRET, visibility="private"
    )


@pytest.mark.parametrize(
    ("visibility", "anonymous_sees", "outsider_sees"),
    [("public", True, True), ("movement", False, True), ("private", False, False)],
)
def test_lessons_and_questions_are_seen_by_visibility(
    visibility, anonymous_sees, outsider_sees, editor, viewer, outsider, anonymous, affiliate, staff
):
    lesson = make_lesson(actor=editor, organization=affiliate, visibility=visibility)
    question = make_question(actor=viewer, organization=affiliate, visibility=visibility)
    for model, record in ((Lesson, lesson), (Question, question)):
        assert model.objects.visible_to(anonymous).filter(pk=record.pk).exists() is anonymous_sees
        assert model.objects.visible_to(outsider).filter(pk=record.pk).exists() is outsider_sees
        assert model.objects.visible_to(viewer).filter(pk=record.pk).exists()
        assert model.objects.visible_to(staff).filter(pk=record.pk).exists()


def test_private_lesson_is_404_and_leaks_nothing_in_lists(
    client_for, private_lesson, outsider, editor
):
    services.endorsement_create(actor=editor, lesson=private_lesson, comment=SECRET)
    client = client_for(outsider)
    for name in ("lesson_detail", "lesson_edit", "lesson_history"):
        response = client.get(reverse(f"knowledge:{name}", args=[private_lesson.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    listing = client.get(reverse("knowledge:lesson_list"))
    assert SECRET not in listing.content.decode()
    assert listing.context["page"].paginator.count == 0
    assert Endorsement.objects.visible_to(outsider).count() == 0
    endorsement = Endorsement.objects.get()
    response = client.post(reverse("knowledge:endorsement_delete", args=[endorsement.pk]))
    assert response.status_code == 404


def test_the_team_sees_its_private_lesson(client_for, private_lesson, viewer):
    response = client_for(viewer).get(private_lesson.get_absolute_url())
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_public_lesson_never_names_a_private_partnership(
    client_for, editor, affiliate, outsider, staff
):
    hidden = make_partnership(lead=affiliate, title=SECRET, visibility="private")
    lesson = make_lesson(actor=editor, organization=affiliate, partnerships=[hidden])
    services.endorsement_create(actor=editor, lesson=lesson, partnership=hidden)
    client = client_for(outsider)
    for url in (
        lesson.get_absolute_url(),
        reverse("knowledge:lesson_history", args=[lesson.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    assert SECRET in client_for(editor).get(lesson.get_absolute_url()).content.decode()


def test_private_question_is_404_and_its_answers_unseen(
    client_for, viewer, outsider, affiliate, editor
):
    question = make_question(
        actor=viewer, organization=affiliate, title=SECRET, body=SECRET, visibility="private"
    )
    make_answer(question=question, actor=editor, body=SECRET)
    client = client_for(outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    for name in ("answer_create", "question_solve", "question_to_lesson"):
        response = client.post(reverse(f"knowledge:{name}", args=[question.pk]), {"body": "x"})
        assert response.status_code == 404
    listing = client.get(reverse("knowledge:question_list") + "?status=all")
    assert SECRET not in listing.content.decode()
    assert Answer.objects.visible_to(outsider).count() == 0


def test_a_public_question_hides_its_private_partnership(client_for, viewer, affiliate, outsider):
    hidden = make_partnership(lead=affiliate, title=SECRET, visibility="private")
    question = make_question(actor=viewer, organization=affiliate, partnership=hidden)
    response = client_for(outsider).get(question.get_absolute_url())
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_filters_with_nonsense_values_still_answer_a_page(client_for, anonymous):
    client = client_for(None)
    for query in ("?step=nope&goal=%00&language=zz&page=-4", "?q=" + "🙂" * 500, "?country=XX"):
        assert client.get(reverse("knowledge:lesson_list") + query).status_code == 200
        assert client.get(reverse("knowledge:question_list") + query).status_code == 200


def test_lesson_list_filters_by_topic(client_for, editor, affiliate):
    make_lesson(
        actor=editor, organization=affiliate, title="Contract first", steps=["formal_agreement"]
    )
    make_lesson(actor=editor, organization=affiliate, title="Win-win", goals=["advocacy"])
    response = client_for(None).get(reverse("knowledge:lesson_list") + "?step=formal_agreement")
    titles = [lesson.title for lesson in response.context["page"].object_list]
    assert titles == ["Contract first"]


def test_question_list_shows_unsolved_by_default(client_for, viewer, outsider, affiliate):
    open_one = make_question(actor=viewer, organization=affiliate, title="Still open")
    solved = make_question(actor=viewer, organization=affiliate, title="Done already")
    answer = make_answer(question=solved, actor=outsider)
    services.question_mark_solved(actor=viewer, question=solved, answer=answer)
    response = client_for(viewer).get(reverse("knowledge:question_list"))
    assert [q.pk for q in response.context["page"].object_list] == [open_one.pk]
