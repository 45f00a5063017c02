"""Lessons with their endorsements, and the clinic's questions and answers: read and write.

Reads go through the knowledge QuerySets' `visible_to`; writes through hub.knowledge.services; a
record is fetched with permission through hub.knowledge.access. A linked partnership appears only
when the caller may see it. A lesson's change needs its ETag (If-Match), as partnerships do.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    WRITE_ERRORS,
    Cursor,
    IfMatch,
    Limit,
    RecordId,
    etag_of,
    expected_version,
    page_url,
    path_id,
    precondition,
    prepared,
    refuse_repeated,
)
from hub.api.endpoints.directory import org_ref
from hub.api.endpoints.knowledge_schemas import (
    AnswerCreate,
    EndorsementCreate,
    EndorsementList,
    EndorsementOut,
    LessonCreate,
    LessonOut,
    LessonPage,
    LessonQuery,
    LessonUpdate,
    QuestionCreate,
    QuestionOut,
    QuestionPage,
    QuestionQuery,
    SolutionIn,
)
from hub.api.pagination import Ordering, paginate
from hub.api.problems import ApiError, Problem
from hub.directory.models import Organization
from hub.knowledge import services
from hub.knowledge.access import get_endorsement_for, get_lesson_for, get_question_for
from hub.knowledge.filters import LessonFilter, QuestionFilter
from hub.knowledge.models import Answer, Lesson, Question, writes_for
from hub.partnerships.models import Partnership

router = Router(tags=["knowledge"], auth=READ_AUTH)
NEWEST = Ordering("-created", "created_at", descending=True, kind="datetime")

# --- reading ---------------------------------------------------------------------------------


def topics_of(tags) -> dict:
    found: dict[str, list[str]] = {"steps": [], "goals": [], "partner_types": []}
    names = {"step": "steps", "goal": "goals", "partner_type": "partner_types"}
    for tag in tags:
        found[names[tag.facet]].append(tag.value)
    return found


def _lessons(user):
    return (
        Lesson.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related(
            "tags",
            "organizations",
            Prefetch("partnerships", queryset=Partnership.objects.visible_to(user)),
        )
        .annotate(endorsement_count=Count("endorsements", distinct=True))
    )


def lesson_out(request: HttpRequest, lesson: Any, originals: set[int]) -> dict:
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "problem": lesson.problem,
        "solution": lesson.solution,
        "things_to_consider": lesson.things_to_consider,
        "when_to_use": lesson.when_to_use,
        "see_also": lesson.see_also,
        "category": lesson.category,
        "kind": lesson.kind,
        "status": lesson.status,
        "review_by": lesson.review_by,
        "language": lesson.language,
        "translation_of": lesson.translation_of_id
        if lesson.translation_of_id in originals
        else None,
        "organization": org_ref(lesson.organization),
        "partnerships": [{"id": p.pk, "title": p.title} for p in lesson.partnerships.all()],
        "organizations": [org_ref(o) for o in lesson.organizations.all()],
        **topics_of(lesson.tags.all()),
        "visibility": lesson.visibility,
        "is_demo": lesson.is_demo,
        "endorsements": lesson.endorsement_count,
        "version": lesson.version,
        "etag": etag_of(lesson),
        "created_at": lesson.created_at,
        "updated_at": lesson.updated_at,
        "url": page_url(request, "knowledge:lesson_detail", lesson.pk),
    }


def _seen_originals(user, lessons) -> set[int]:
    ids = {lesson.translation_of_id for lesson in lessons if lesson.translation_of_id}
    if not ids:
        return set()
    return set(Lesson.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _lesson_answer(request, response, lesson, status=200):
    user = caller(request)
    found = _lessons(user).filter(pk=lesson.pk).first()
    if found is None:
        raise Http404
    response["ETag"] = etag_of(found)
    return Status(status, lesson_out(request, found, _seen_originals(user, [found])))


@router.get(
    "/lessons",
    response={200: LessonPage, 422: Problem},
    url_name="lesson_list",
    summary="List lessons",
)
def lesson_list(
    request: HttpRequest, filters: Query[LessonQuery], limit: Limit = 50, cursor: Cursor = None
):
    refuse_repeated(request, LessonQuery)
    user = caller(request)
    form = LessonFilter(request.GET)
    rows, next_url = paginate(
        request, form.apply(_lessons(user)), NEWEST, limit=limit, cursor=cursor, notices=[]
    )
    originals = _seen_originals(user, rows)
    items = [lesson_out(request, lesson, originals) for lesson in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": []})


@router.get(
    "/lessons/{id}",
    response={200: LessonOut, 404: Problem},
    url_name="lesson_detail",
    summary="Read a lesson",
)
def lesson_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    return _lesson_answer(request, response, get_lesson_for(caller(request), id))


def _may_write(request: HttpRequest) -> None:
    if not writes_for(caller(request)).exists():
        raise PermissionDenied(_("Members of a movement organization write lessons and questions."))


def organization_field(value: int) -> Organization:
    organization = Organization.objects.filter(pk=value).first()
    if organization is None:
        raise ApiError(
            422,
            _("Some fields are invalid; see errors."),
            [{"path": "organization", "message": _("No organization has this id.")}],
        )
    return organization


def _partnerships(user, ids: list[int], path: str) -> list[Partnership]:
    found = list(Partnership.objects.visible_to(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ApiError(
            422,
            _("Some fields are invalid; see errors."),
            [{"path": path, "message": _("Choose partnerships you can see.")}],
        )
    return found


@router.post(
    "/lessons",
    auth=write_auth(_may_write),
    response={201: LessonOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="lesson_create",
    summary="Write a lesson",
)
def lesson_create(request: HttpRequest, response: HttpResponse, payload: LessonCreate):
    user = caller(request)
    data = payload.model_dump()
    with transaction.atomic():
        data["organization"] = organization_field(data["organization"])
        data["partnerships"] = _partnerships(user, data["partnerships"], "partnerships")
        data["organizations"] = list(Organization.objects.filter(pk__in=data["organizations"]))
        if len(data["organizations"]) != len(set(payload.organizations)):
            raise ApiError(
                422,
                _("Some fields are invalid; see errors."),
                [{"path": "organizations", "message": _("No organization has this id.")}],
            )
        original = data.pop("translation_of")
        if original is not None:
            data["translation_of"] = Lesson.objects.visible_to(user).filter(pk=original).first()
            if data["translation_of"] is None:
                raise ApiError(
                    422,
                    _("Some fields are invalid; see errors."),
                    [{"path": "translation_of", "message": _("Choose a lesson you can see.")}],
                )
        lesson = services.lesson_create(actor=user, **data)
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{lesson.pk}")
    return _lesson_answer(request, response, lesson, 201)


def _may_edit_lesson(request: HttpRequest) -> None:
    precondition(request, get_lesson_for(caller(request), path_id(request), edit=True))


@router.patch(
    "/lessons/{id}",
    auth=write_auth(_may_edit_lesson),
    response={200: LessonOut, **WRITE_ERRORS},
    url_name="lesson_update",
    summary="Change a lesson",
)
def lesson_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: LessonUpdate,
    if_match: str | None = IfMatch,
):
    user = caller(request)
    lesson = get_lesson_for(user, id, edit=True)
    expected = expected_version(lesson, if_match)
    data = payload.model_dump(exclude_unset=True)
    saved = services.lesson_update(actor=user, lesson=lesson, expected_version=expected, **data)
    return _lesson_answer(request, response, saved)


def endorsement_out(endorsement: Any, seen: set[int]) -> dict:
    shown = endorsement.partnership_id in seen
    return {
        "id": endorsement.pk,
        "lesson": endorsement.lesson_id,
        "user": endorsement.user.get_full_name() or endorsement.user.username,
        "comment": endorsement.comment,
        "partnership": {"id": endorsement.partnership_id, "title": endorsement.partnership.title}
        if shown
        else None,
        "created_at": endorsement.created_at,
    }


def _endorsements(user, lesson: Lesson) -> list[dict]:
    rows = list(lesson.endorsements.select_related("user", "partnership"))
    ids = {e.partnership_id for e in rows if e.partnership_id}
    seen = set(Partnership.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [endorsement_out(e, seen) for e in rows]


@router.get(
    "/lessons/{id}/endorsements",
    response={200: EndorsementList, 404: Problem},
    url_name="endorsement_list",
    summary="List a lesson's endorsements",
)
def endorsement_list(request: HttpRequest, id: RecordId):
    user = caller(request)
    return {"items": _endorsements(user, get_lesson_for(user, id))}


def _may_see_lesson(request: HttpRequest) -> None:
    get_lesson_for(caller(request), path_id(request))


@router.post(
    "/lessons/{id}/endorsements",
    auth=write_auth(_may_see_lesson),
    response={201: EndorsementOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="endorsement_create",
    summary="Endorse a lesson",
)
def endorsement_create(
    request: HttpRequest, response: HttpResponse, id: RecordId, payload: EndorsementCreate
):
    user = caller(request)
    lesson = get_lesson_for(user, id)
    partnership = None
    if payload.partnership is not None:
        partnership = _partnerships(user, [payload.partnership], "partnership")[0]
    endorsement = services.endorsement_create(
        actor=user, lesson=lesson, comment=payload.comment, partnership=partnership
    )
    response["Location"] = request.build_absolute_uri(request.path)
    return Status(201, endorsement_out(endorsement, {partnership.pk} if partnership else set()))


def _may_withdraw(request: HttpRequest) -> None:
    get_endorsement_for(caller(request), path_id(request), edit=True)


@router.delete(
    "/endorsements/{id}",
    auth=write_auth(_may_withdraw),
    response={204: None, 403: Problem, 404: Problem},
    url_name="endorsement_delete",
    summary="Withdraw your endorsement",
)
def endorsement_delete(request: HttpRequest, id: RecordId):
    user = caller(request)
    services.endorsement_delete(actor=user, endorsement=get_endorsement_for(user, id, edit=True))
    return Status(204, None)


# --- the clinic ------------------------------------------------------------------------------


def _questions(user):
    return (
        Question.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related(
            "tags", Prefetch("answers", queryset=Answer.objects.select_related("author"))
        )
    )


def question_out(request: HttpRequest, question: Any, seen: set[int]) -> dict:
    shown = question.partnership_id in seen
    return {
        "id": question.pk,
        "title": question.title,
        "body": question.body,
        "organization": org_ref(question.organization),
        "partnership": {"id": question.partnership_id, "title": question.partnership.title}
        if shown
        else None,
        "country": str(question.country or ""),
        "language": question.language,
        "visibility": question.visibility,
        "status": question.status,
        "lesson": question.lesson_id,
        **topics_of(question.tags.all()),
        "answers": [
            {
                "id": a.pk,
                "author": (a.author.get_full_name() or a.author.username) if a.author else "",
                "body": a.body,
                "helped": a.pk == question.solution_id,
                "created_at": a.created_at,
            }
            for a in question.answers.all()
        ],
        "created_at": question.created_at,
        "url": page_url(request, "knowledge:question_detail", question.pk),
    }


def _seen_partnerships(user, questions) -> set[int]:
    ids = {q.partnership_id for q in questions if q.partnership_id}
    if not ids:
        return set()
    return set(Partnership.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _question_answer(request, question, status=200):
    user = caller(request)
    found = _questions(user).select_related("partnership").filter(pk=question.pk).first()
    if found is None:
        raise Http404
    return Status(status, question_out(request, found, _seen_partnerships(user, [found])))


@router.get(
    "/questions",
    response={200: QuestionPage, 422: Problem},
    url_name="question_list",
    summary="List clinic questions",
)
def question_list(
    request: HttpRequest, filters: Query[QuestionQuery], limit: Limit = 50, cursor: Cursor = None
):
    """Unsolved questions unless `status` says otherwise."""
    refuse_repeated(request, QuestionQuery)
    user = caller(request)
    form = QuestionFilter(request.GET)
    rows, next_url = paginate(
        request,
        form.apply(_questions(user).select_related("partnership")),
        NEWEST,
        limit=limit,
        cursor=cursor,
        notices=[],
    )
    seen = _seen_partnerships(user, rows)
    items = [question_out(request, q, seen) for q in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": []})


@router.get(
    "/questions/{id}",
    response={200: QuestionOut, 404: Problem},
    url_name="question_detail",
    summary="Read a clinic question with its answers",
)
def question_detail(request: HttpRequest, id: RecordId):
    return _question_answer(request, get_question_for(caller(request), id))


@router.post(
    "/questions",
    auth=write_auth(_may_write),
    response={201: QuestionOut, 400: Problem, 403: Problem, 422: Problem},
    url_name="question_create",
    summary="Ask the clinic",
)
def question_create(request: HttpRequest, response: HttpResponse, payload: QuestionCreate):
    user = caller(request)
    data = payload.model_dump()
    with transaction.atomic():
        data["organization"] = organization_field(data["organization"])
        if data["partnership"] is not None:
            data["partnership"] = _partnerships(user, [data["partnership"]], "partnership")[0]
        question = services.question_create(actor=user, **data)
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{question.pk}")
    return _question_answer(request, question, 201)


def _may_see_question(request: HttpRequest) -> None:
    get_question_for(caller(request), path_id(request))


def _may_mark(request: HttpRequest) -> None:
    get_question_for(caller(request), path_id(request), edit=True)


@router.post(
    "/questions/{id}/answers",
    auth=write_auth(_may_see_question),
    response={200: QuestionOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="answer_create",
    summary="Answer a clinic question",
)
def answer_create(request: HttpRequest, id: RecordId, payload: AnswerCreate):
    """Answers the question with its answers, the new one last."""
    user = caller(request)
    question = get_question_for(user, id)
    services.answer_create(actor=user, question=question, body=payload.body)
    return _question_answer(request, question)


@router.post(
    "/questions/{id}/solution",
    auth=write_auth(_may_mark),
    response={200: QuestionOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="question_solve",
    summary="Mark the answer that helped",
)
def question_solve(request: HttpRequest, id: RecordId, payload: SolutionIn):
    user = caller(request)
    question = get_question_for(user, id, edit=True)
    answer = question.answers.filter(pk=payload.answer).first()
    if answer is None:
        raise ApiError(
            422,
            _("Some fields are invalid; see errors."),
            [{"path": "answer", "message": _("Choose an answer to this question.")}],
        )
    services.question_mark_solved(actor=user, question=question, answer=answer)
    return _question_answer(request, question)
