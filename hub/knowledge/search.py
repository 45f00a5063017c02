"""Lessons and clinic questions in the one search (hub/core/search). A question's entry holds its
answers too, so an answer is found through the question it answers, seen by the question's readers."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.knowledge.models import Lesson, Question


def _lesson_organizations(lesson: Lesson) -> list[int]:
    ids = [lesson.organization_id] if lesson.organization_id else []
    return ids + [org.pk for org in lesson.organizations.all()]


def _question_document(question: Question) -> dict[str, str]:
    document = question.search_document()
    answers = [answer.body for answer in question.answers.all()]
    document["body"] = "\n\n".join(part for part in (document["body"], *answers) if part)
    return document


LESSONS = SearchKind(
    name="lesson",
    label=_("Lessons"),
    model=Lesson,
    visible=lambda user: Lesson.objects.visible_to(user),
    document=lambda lesson: lesson.search_document(),
    url=lambda pk: reverse("knowledge:lesson_detail", args=[pk]),
    organization_ids=_lesson_organizations,
    prepare=lambda qs: qs.prefetch_related("organizations"),
    order=30,
)


def _prepare_questions(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related("answers")


QUESTIONS = SearchKind(
    name="question",
    label=_("Clinic questions"),
    model=Question,
    visible=lambda user: Question.objects.visible_to(user),
    document=_question_document,
    url=lambda pk: reverse("knowledge:question_detail", args=[pk]),
    organization_ids=lambda question: (
        [question.organization_id] if question.organization_id else []
    ),
    prepare=_prepare_questions,
    order=40,
)
