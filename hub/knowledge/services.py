"""Every write to lessons, endorsements and the clinic. Pages, the API and the demo loader call
these and nothing else.

Each is keyword-only, atomic, checks permission and records history. The single-row rules are
the models' `clean()`; the rules across rows (who writes for which organization, which linked
partnerships the actor may see) are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry, Visibility
from hub.directory.models import Organization
from hub.knowledge.choices import Facet
from hub.knowledge.models import (
    Answer,
    Endorsement,
    Lesson,
    LessonTag,
    Question,
    QuestionTag,
    writes_for,
)
from hub.partnerships.models import Partnership

LESSON_FIELDS = [
    "title",
    "problem",
    "solution",
    "things_to_consider",
    "when_to_use",
    "see_also",
    "category",
    "kind",
    "status",
    "review_by",
    "language",
    "translation_of",
    "organization",
    "visibility",
]
LESSON_LISTS = ("partnerships", "organizations", "steps", "goals", "partner_types")
TOPIC_FACETS = {"steps": Facet.STEP, "goals": Facet.GOAL, "partner_types": Facet.PARTNER_TYPE}
QUESTION_FIELDS = [
    "title",
    "body",
    "organization",
    "partnership",
    "country",
    "language",
    "visibility",
    "status",
    "solution",
    "lesson",
]


def topic_labels(owner) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {name: [] for name in TOPIC_FACETS}
    by_facet = {facet: name for name, facet in TOPIC_FACETS.items()}
    for tag in owner.tags.all():
        found[by_facet[tag.facet]].append(tag.label)
    return {name: sorted(labels) for name, labels in found.items()}


def _lesson_snapshot(lesson: Lesson) -> history.Snapshot:
    return history.snapshot(
        lesson,
        LESSON_FIELDS,
        partnerships=sorted(p.title for p in lesson.partnerships.all()),
        organizations=sorted(o.name for o in lesson.organizations.all()),
        **topic_labels(lesson),
    )


def _question_snapshot(question: Question) -> history.Snapshot:
    return history.snapshot(
        question,
        [f for f in QUESTION_FIELDS if f != "partnership"],
        **topic_labels(question),
    )


def _checked_tags(tag_model, owner_field: str, owner, topics: dict[str, Iterable[str]]) -> list:
    rows, problems = [], {}
    for name, values in topics.items():
        for value in dict.fromkeys(values):
            tag = tag_model(**{owner_field: owner}, facet=TOPIC_FACETS[name], value=value)
            try:
                tag.clean()
            except ValidationError:
                problems[name] = _("Choose one of the listed topics.")
            rows.append(tag)
    if problems:
        raise ValidationError(problems)
    return rows


def set_tags(tag_model, owner_field: str, owner, topics: dict[str, Iterable[str]]) -> None:
    rows = _checked_tags(tag_model, owner_field, owner, topics)
    facets = [TOPIC_FACETS[name] for name in topics]
    tag_model.objects.filter(**{owner_field: owner}, facet__in=facets).delete()
    tag_model.objects.bulk_create(rows)


def _check_partnerships(actor, partnerships: Sequence[Partnership], field: str) -> None:
    """One answer for a partnership that does not exist and one the actor may not see."""
    ids = {p.pk for p in partnerships}
    if ids and Partnership.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({field: _("Choose partnerships you can see.")})


def check_writes_for(actor, organization: Organization | None, field: str = "organization"):
    if organization is None or not writes_for(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("You can write only for a movement organization you are a member of.")
        )


def _check_lesson(actor, lesson: Lesson) -> None:
    lesson.title = " ".join(lesson.title.split())
    original = lesson.translation_of
    if (
        original is not None
        and not Lesson.objects.visible_to(actor).filter(pk=original.pk).exists()
    ):
        raise ValidationError({"translation_of": _("Choose a lesson you can see.")})
    lesson.full_clean(exclude=["organization", "author"], validate_unique=False)


def _set_lists(actor, lesson: Lesson, lists: dict[str, Any]) -> None:
    if "partnerships" in lists:
        partnerships = list(lists["partnerships"])
        # A link kept from before (perhaps to a partnership this editor may not see) stays;
        # only a new link must be to a partnership the actor sees.
        current = set(lesson.partnerships.values_list("pk", flat=True))
        _check_partnerships(actor, [p for p in partnerships if p.pk not in current], "partnerships")
        lesson.partnerships.set(partnerships)
    if "organizations" in lists:
        lesson.organizations.set(list(lists["organizations"]))
    topics = {name: lists[name] for name in TOPIC_FACETS if name in lists}
    if topics:
        set_tags(LessonTag, "lesson", lesson, topics)


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(fields) - set(LESSON_FIELDS) - set(LESSON_LISTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    own = {k: v for k, v in fields.items() if k in LESSON_FIELDS}
    lists = {k: v for k, v in fields.items() if k in LESSON_LISTS}
    return own, lists


@transaction.atomic
def lesson_create(
    *,
    actor,
    organization: Organization,
    title: str,
    problem: str,
    kind: str = "",
    is_demo: bool = False,
    **fields: Any,
) -> Lesson:
    """Write a lesson for a movement organization the actor is a member of. `fields` are the
    other fields of Lesson (solution, category, status, language, translation_of, visibility...)
    and its lists: partnerships, organizations, steps (preset step keys), goals, partner_types."""
    check_writes_for(actor, organization)
    own, lists = _split(fields)
    lesson = Lesson(
        organization=organization,
        author=actor if actor.is_authenticated and actor.is_active else None,
        title=title,
        problem=problem,
        kind=kind,
        is_demo=is_demo,
        **own,
    )
    _check_lesson(actor, lesson)
    lesson.save()
    _set_lists(actor, lesson, lists)
    history.record(
        actor=actor,
        instance=lesson,
        action=HistoryEntry.Action.CREATE,
        after=_lesson_snapshot(lesson),
    )
    search.index(lesson)
    return lesson


@transaction.atomic
def lesson_update(
    *, actor, lesson: Lesson, expected_version: int | None = None, **fields: Any
) -> Lesson:
    """Change a lesson; fields and lists left out keep their values."""
    own, lists = _split(fields)
    locked = lock_for_edit(
        Lesson.objects.editable_by(actor),
        lesson.pk,
        expected_version,
        refusal=_("You cannot edit this lesson."),
    )
    before = _lesson_snapshot(locked)
    if "organization" in own and own["organization"].pk != locked.organization_id:
        check_writes_for(actor, own["organization"])
    for name, value in own.items():
        setattr(locked, name, value)
    _check_lesson(actor, locked)
    _set_lists(actor, locked, lists)
    save_change(actor, locked, before, _lesson_snapshot(locked))
    search.index(locked)
    return locked


@transaction.atomic
def endorsement_create(
    *, actor, lesson: Lesson, comment: str = "", partnership: Partnership | None = None
) -> Endorsement:
    """A signed-in person who sees the lesson endorses it, once; `partnership` is the evidence
    ("used in partnership X"), one they may see."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to endorse a lesson."))
    if not Lesson.objects.visible_to(actor).filter(pk=lesson.pk).exists():
        raise PermissionDenied(_("You cannot see this lesson."))
    if partnership is not None:
        _check_partnerships(actor, [partnership], "partnership")
    if Endorsement.objects.filter(lesson=lesson, user=actor).exists():
        raise ValidationError({"comment": _("You have endorsed this lesson already.")})
    endorsement = Endorsement(lesson=lesson, user=actor, comment=comment.strip())
    endorsement.partnership = partnership
    endorsement.save()
    history.record(
        actor=actor,
        instance=endorsement,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(endorsement, ["lesson", "comment"]),
    )
    return endorsement


@transaction.atomic
def endorsement_delete(*, actor, endorsement: Endorsement) -> None:
    """Withdraw one's own endorsement (staff withdraw any)."""
    if not (actor.is_authenticated and (actor.is_staff or endorsement.user_id == actor.pk)):
        raise PermissionDenied(_("You can withdraw only your own endorsement."))
    history.record(
        actor=actor,
        instance=endorsement,
        action=HistoryEntry.Action.DELETE,
        before=history.snapshot(endorsement, ["lesson", "comment"]),
    )
    endorsement.delete()


@transaction.atomic
def question_create(
    *,
    actor,
    organization: Organization,
    title: str,
    body: str,
    partnership: Partnership | None = None,
    country: str = "",
    language: str = "en",
    visibility: str = Visibility.MOVEMENT,
    steps: Iterable[str] = (),
    goals: Iterable[str] = (),
    partner_types: Iterable[str] = (),
) -> Question:
    """A member of a movement organization asks the clinic, for that organization."""
    check_writes_for(actor, organization)
    if partnership is not None:
        _check_partnerships(actor, [partnership], "partnership")
    question = Question(
        organization=organization,
        asker=actor if actor.is_authenticated and actor.is_active else None,
        title=" ".join(title.split()),
        body=body,
        partnership=partnership,
        country=country,
        language=language,
        visibility=visibility,
    )
    question.full_clean(exclude=["organization", "asker", "solution", "lesson"])
    question.save()
    set_tags(
        QuestionTag,
        "question",
        question,
        {"steps": steps, "goals": goals, "partner_types": partner_types},
    )
    history.record(
        actor=actor,
        instance=question,
        action=HistoryEntry.Action.CREATE,
        after=_question_snapshot(question),
    )
    search.index(question)
    return question


@transaction.atomic
def answer_create(*, actor, question: Question, body: str) -> Answer:
    """A signed-in peer who sees the question answers it. The asker and the earlier answerers
    are told by e-mail once the answer is saved (hub.knowledge.tasks.notify_answer)."""
    from hub.knowledge.tasks import notify_answer

    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to answer."))
    if not Question.objects.visible_to(actor).filter(pk=question.pk).exists():
        raise PermissionDenied(_("You cannot see this question."))
    answer = Answer(question=question, author=actor, body=body.strip())
    answer.full_clean(exclude=["question", "author"])
    answer.save()
    history.record(
        actor=actor,
        instance=answer,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(answer, ["question", "body"]),
    )
    transaction.on_commit(lambda: notify_answer.enqueue(answer.pk))
    search.index(question)  # its entry holds its answers
    return answer


def _lock_question(actor, question: Question) -> Question:
    if not Question.objects.editable_by(actor).filter(pk=question.pk).exists():
        raise PermissionDenied(_("Only the asking team marks the answer that helped."))
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def question_mark_solved(*, actor, question: Question, answer: Answer) -> Question:
    """The asker (or an editor of the asking organization) marks the answer that helped: the
    question is solved."""
    locked = _lock_question(actor, question)
    if answer.question_id != locked.pk:
        raise ValidationError({"answer": _("Choose an answer to this question.")})
    before = _question_snapshot(locked)
    locked.status = Question.Status.SOLVED
    locked.solution = answer
    locked.save(update_fields=["status", "solution", "updated_at"])
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=_question_snapshot(locked),
    )
    return locked


@transaction.atomic
def question_to_lesson(*, actor, question: Question) -> Lesson:
    """Turn a solved question into a draft lesson in one step: the problem is the question, the
    solution the answer that helped; topics, language, visibility and partnership carry over."""
    locked = _lock_question(actor, question)
    if locked.status != Question.Status.SOLVED or locked.solution is None:
        raise ValidationError({"solution": _("Mark the answer that helped first.")})
    if locked.lesson_id is not None:
        raise ValidationError({"lesson": _("This question is a lesson already.")})
    topics: dict[str, list[str]] = {name: [] for name in TOPIC_FACETS}
    by_facet: dict[str, str] = {facet: name for name, facet in TOPIC_FACETS.items()}
    for tag in locked.tags.all():
        topics[by_facet[tag.facet]].append(tag.value)
    seen = locked.partnership_id is not None and (
        Partnership.objects.visible_to(actor).filter(pk=locked.partnership_id).exists()
    )
    lesson = lesson_create(
        actor=actor,
        organization=locked.organization,
        title=locked.title,
        problem=locked.body,
        solution=locked.solution.body,
        kind=Lesson.Kind.GOOD,
        status=Lesson.Status.DRAFT,
        language=locked.language,
        visibility=locked.visibility,
        partnerships=[locked.partnership] if seen else [],
        steps=topics["steps"],
        goals=topics["goals"],
        partner_types=topics["partner_types"],
    )
    before = _question_snapshot(locked)
    locked.lesson = lesson
    locked.save(update_fields=["lesson", "updated_at"])
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=_question_snapshot(locked),
    )
    return lesson
