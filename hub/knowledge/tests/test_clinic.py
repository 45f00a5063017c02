"""The clinic through its pages, the suggested helpers and the e-mail of a new answer."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_question
from hub.knowledge.models import Lesson, Question
from hub.knowledge.suggestions import suggested_helpers
from hub.knowledge.tasks import notify_answer, participants_to_tell
from hub.lifecycle.steps.models import Lifecycle, PartnershipProgress, Step, StepVisit
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _member(org, username, role="editor"):
    return MembershipFactory(organization=org, role=role, user=UserFactory(username=username)).user


def test_ask_answer_mark_solved_and_turn_into_a_lesson_through_the_pages(
    client_for, viewer, outsider, affiliate
):
    asking = client_for(viewer)
    response = asking.post(
        reverse("knowledge:question_create"),
        {
            "title": "How do we get partners to own it?",
            "body": "Fourteen organizations talk only of outputs.",
            "organization": affiliate.pk,
            "language": "en",
            "visibility": "movement",
            "country": "EE",
            "goals": ["advocacy"],
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    response = client_for(outsider).post(
        reverse("knowledge:answer_create", args=[question.pk]), {"body": "Give each a piece."}
    )
    assert response.status_code == 302
    answer = question.answers.get()
    assert (
        client_for(outsider)
        .post(reverse("knowledge:question_solve", args=[question.pk]), {"answer": answer.pk})
        .status_code
        == 403
    )
    response = asking.post(
        reverse("knowledge:question_solve", args=[question.pk]), {"answer": answer.pk}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == "solved"
    page = asking.get(question.get_absolute_url()).content.decode()
    assert "This answer helped" in page
    assert "Turn into a draft lesson" in page
    response = asking.post(reverse("knowledge:question_to_lesson", args=[question.pk]))
    lesson = Lesson.objects.get()
    assert response["Location"] == lesson.get_absolute_url()
    assert lesson.solution == "Give each a piece."
    assert lesson.status == "draft"


def test_an_empty_answer_is_refused_on_its_field(client_for, viewer, affiliate):
    question = make_question(actor=viewer, organization=affiliate)
    response = client_for(viewer).post(
        reverse("knowledge:answer_create", args=[question.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert response.context["answer_form"].errors["body"]


def test_solving_with_an_unknown_answer_is_404(client_for, viewer, affiliate):
    question = make_question(actor=viewer, organization=affiliate)
    for value in ("99999", "abc", ""):
        response = client_for(viewer).post(
            reverse("knowledge:question_solve", args=[question.pk]), {"answer": value}
        )
        assert response.status_code == 404


def test_a_new_answer_emails_the_asker_and_earlier_answerers(
    immediate_tasks, django_capture_on_commit_callbacks, viewer, outsider, affiliate, editor
):
    question = make_question(actor=viewer, organization=affiliate, title="Roundtable trouble")
    third = _member(AffiliateFactory(), "third")
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question=question, actor=outsider, body="First answer")
    assert [m.to for m in mail.outbox] == [[viewer.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question=question, actor=third, body="Second answer")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([viewer.email, outsider.email])
    message = mail.outbox[0]
    assert "Roundtable trouble" in message.subject
    assert "Second answer" in message.body
    assert question.get_absolute_url() in message.body


def test_nobody_is_emailed_the_text_of_a_question_they_may_no_longer_see(
    viewer, affiliate, editor, outsider
):
    question = make_question(actor=viewer, organization=affiliate, visibility="private")
    # The outsider answered while a member; they left the team since.
    helper = _member(affiliate, "helper")
    first = make_answer(question=question, actor=helper, body="Earlier")
    helper.memberships.all().delete()
    second = make_answer(question=question, actor=editor, body="Later")
    assert participants_to_tell(second) == [viewer]
    assert first.pk != second.pk
    assert notify_answer.call(second.pk) == 1
    assert [m.to for m in mail.outbox] == [[viewer.email]]


def test_suggested_helpers_come_from_similar_partnerships_ranked_without_the_own_team(
    django_assert_num_queries, viewer, affiliate, editor, staff
):
    university = OrganizationFactory(name="A University", kind="university_research")
    busy = AffiliateFactory(name="Wikimedia Busy")
    once = AffiliateFactory(name="Wikimedia Once")
    unrelated = AffiliateFactory(name="Wikimedia Elsewhere")
    busy_person = _member(busy, "busy_person")
    once_person = _member(once, "once_person")
    _member(unrelated, "unrelated_person")
    make_partnership(lead=busy, partners=[university], title="B1", goals=["funding"])
    make_partnership(lead=busy, partners=[OrganizationFactory()], title="B2", goals=["advocacy"])
    make_partnership(lead=once, partners=[university], title="O1", goals=["funding"])
    make_partnership(
        lead=unrelated, partners=[OrganizationFactory()], title="U1", goals=["funding"]
    )
    make_partnership(lead=affiliate, partners=[university], title="Own", goals=["advocacy"])
    hidden_lead = AffiliateFactory(name="Wikimedia Hidden")
    hidden_person = _member(hidden_lead, "hidden_person")
    make_partnership(lead=hidden_lead, partners=[university], title="Hidden", visibility="private")
    question = make_question(
        actor=viewer,
        organization=affiliate,
        partner_types=["university_research"],
        goals=["advocacy"],
    )
    question = Question.objects.prefetch_related("tags").get(pk=question.pk)
    with django_assert_num_queries(1):
        helpers = suggested_helpers(question, viewer)
    assert [(h.username, h.similar, h.organization_name) for h in helpers] == [
        ("busy_person", 2, "Wikimedia Busy"),
        ("once_person", 1, "Wikimedia Once"),
    ]
    assert editor not in helpers  # the asker's own team
    # A private partnership counts only for those who may see it.
    assert hidden_person in suggested_helpers(question, staff)
    assert busy_person in helpers
    assert once_person in helpers


def test_a_step_links_partnerships_that_went_through_it(viewer, affiliate):
    other = AffiliateFactory(name="Wikimedia Steps")
    person = _member(other, "step_person")
    partnership = make_partnership(lead=other, title="With steps", goals=["content"])
    lifecycle = Lifecycle.objects.create(organization=other, preset="eight_steps")
    step = Step.objects.create(lifecycle=lifecycle, key="formal_agreement", position=5)
    progress = PartnershipProgress.objects.create(partnership=partnership, lifecycle=lifecycle)
    StepVisit.objects.create(progress=progress, step=step, entered_on="2024-01-01")
    question = make_question(actor=viewer, organization=affiliate, steps=["formal_agreement"])
    assert suggested_helpers(question, viewer) == [person]
    assert suggested_helpers(make_question(actor=viewer, organization=affiliate), viewer) == []


def test_helpers_are_shown_to_signed_in_people_only(client_for, viewer, affiliate):
    other = AffiliateFactory(name="Wikimedia Helpers")
    _member(other, "helpful")
    make_partnership(lead=other, title="Similar", goals=["funding"])
    question = make_question(
        actor=viewer, organization=affiliate, goals=["funding"], visibility="public"
    )
    assert "helpful" in client_for(viewer).get(question.get_absolute_url()).content.decode()
    assert "helpful" not in client_for(None).get(question.get_absolute_url()).content.decode()


def test_a_question_linked_to_a_partnership_is_a_lesson_without_it_if_unseen(
    editor, outsider, affiliate, staff
):
    hidden = make_partnership(lead=AffiliateFactory(), title="Not ours", visibility="private")
    question = services.question_create(
        actor=staff, organization=affiliate, title="Q", body="B", partnership=hidden
    )
    services.question_mark_solved(
        actor=staff, question=question, answer=make_answer(question=question, actor=outsider)
    )
    lesson = services.question_to_lesson(actor=editor, question=question)
    assert list(lesson.partnerships.all()) == []
