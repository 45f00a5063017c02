"""Fetching a lesson, an endorsement, a question or an answer with permission: the one way pages
and the API get one by its id (404 when unseen, PermissionDenied when seen but not changeable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.knowledge.models import Answer, Endorsement, Lesson, Question


def get_lesson_for(user, pk: int, *, edit: bool = False) -> Lesson:
    lesson = (
        Lesson.objects.visible_to(user)
        .select_related("organization", "author", "translation_of")
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    if edit and not Lesson.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this lesson."))
    return lesson


def get_endorsement_for(user, pk: int, *, edit: bool = False) -> Endorsement:
    """An endorsement of a lesson `user` sees; with `edit`, only their own (or staff)."""
    endorsement = (
        Endorsement.objects.visible_to(user).select_related("lesson", "user").filter(pk=pk).first()
    )
    if endorsement is None:
        raise Http404
    if edit and not (user.is_staff or endorsement.user_id == user.pk):
        raise PermissionDenied(_("You can withdraw only your own endorsement."))
    return endorsement


def get_question_for(user, pk: int, *, edit: bool = False) -> Question:
    question = (
        Question.objects.visible_to(user)
        .select_related("organization", "asker", "solution", "lesson")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    if edit and not Question.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Only the asking team marks the answer that helped."))
    return question


def get_answer_for(user, pk: int) -> Answer:
    answer = (
        Answer.objects.visible_to(user).select_related("question", "author").filter(pk=pk).first()
    )
    if answer is None:
        raise Http404
    return answer
