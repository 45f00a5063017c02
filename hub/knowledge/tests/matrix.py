"""The knowledge app's pages in the permission matrix: a private lesson of the affiliate (written
by its editor, endorsed by its viewer) and private clinic questions its viewer asked."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.core.testing.officefiles import PDF
from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_lesson, make_question, make_resource


def setup(world):
    lesson = make_lesson(
        actor=world.users["editor"], organization=world.affiliate, visibility="private"
    )
    world.objects["knowledge_lesson"] = lesson
    world.objects["knowledge_endorsement"] = services.endorsement_create(
        actor=world.users["viewer"], lesson=lesson, comment="Helped"
    )
    question = make_question(
        actor=world.users["viewer"], organization=world.affiliate, visibility="private"
    )
    world.objects["knowledge_question"] = question
    world.objects["knowledge_answer"] = make_answer(question=question, actor=world.users["editor"])
    solved = make_question(
        actor=world.users["viewer"],
        organization=world.affiliate,
        visibility="private",
        title="Solved",
    )
    services.question_mark_solved(
        actor=world.users["viewer"],
        question=solved,
        answer=make_answer(question=solved, actor=world.users["editor"]),
    )
    world.objects["knowledge_solved"] = solved
    world.objects["knowledge_resource"] = make_resource(
        actor=world.users["editor"],
        organization=world.affiliate,
        visibility="private",
        title="Private guide",
        file=SimpleUploadedFile("guide.pdf", PDF),
    )


def _lesson(name):
    return lambda w: reverse(name, args=[w.knowledge_lesson.pk])


def _resource(name, record="knowledge_resource"):
    return lambda w: reverse(name, args=[getattr(w, record).pk])


def _question(name, record="knowledge_question"):
    return lambda w: reverse(name, args=[getattr(w, record).pk])


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
POST_PRIVATE = {"anonymous": SIGN_IN, "outsider": 404}
MEMBERS = {"anonymous": SIGN_IN}

CASES = {
    "knowledge:lesson_list": Case(lambda w: reverse("knowledge:lesson_list"), everyone(200)),
    "knowledge:lesson_create": Case(
        lambda w: reverse("knowledge:lesson_create"), MEMBERS, default=200
    ),
    "knowledge:lesson_detail": Case(_lesson("knowledge:lesson_detail"), SEE_PRIVATE, default=200),
    "knowledge:lesson_edit": Case(
        _lesson("knowledge:lesson_edit"),
        {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404},
        default=200,
    ),
    "knowledge:lesson_history": Case(_lesson("knowledge:lesson_history"), SEE_PRIVATE, default=200),
    # Endorsing redirects back to the lesson (a second endorsement is refused with a message).
    "knowledge:lesson_endorse": Case(
        _lesson("knowledge:lesson_endorse"),
        POST_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"comment": "Worked"},
    ),
    # Only the endorser (and staff) withdraw an endorsement.
    "knowledge:endorsement_delete": Case(
        lambda w: reverse("knowledge:endorsement_delete", args=[w.knowledge_endorsement.pk]),
        {**POST_PRIVATE, "editor": 403, "manager": 403},
        default=302,
        method="post",
    ),
    "knowledge:question_list": Case(lambda w: reverse("knowledge:question_list"), everyone(200)),
    "knowledge:question_create": Case(
        lambda w: reverse("knowledge:question_create"), MEMBERS, default=200
    ),
    "knowledge:question_detail": Case(
        _question("knowledge:question_detail"), SEE_PRIVATE, default=200
    ),
    "knowledge:answer_create": Case(
        _question("knowledge:answer_create"),
        POST_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"body": "Try a small first project."},
    ),
    # The asker (the viewer), the asking organization's editors and managers, and staff.
    "knowledge:question_solve": Case(
        _question("knowledge:question_solve"),
        POST_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"answer": w.knowledge_answer.pk},
    ),
    "knowledge:question_to_lesson": Case(
        _question("knowledge:question_to_lesson", "knowledge_solved"),
        POST_PRIVATE,
        default=302,
        method="post",
    ),
    "knowledge:resource_list": Case(lambda w: reverse("knowledge:resource_list"), everyone(200)),
    "knowledge:resource_create": Case(
        lambda w: reverse("knowledge:resource_create"), MEMBERS, default=200
    ),
    "knowledge:resource_detail": Case(
        _resource("knowledge:resource_detail"), SEE_PRIVATE, default=200
    ),
    "knowledge:resource_file": Case(_resource("knowledge:resource_file"), SEE_PRIVATE, default=200),
    "knowledge:resource_history": Case(
        _resource("knowledge:resource_history"), SEE_PRIVATE, default=200
    ),
    # The author (the editor), the organization's editors and managers, staff.
    "knowledge:resource_edit": Case(
        _resource("knowledge:resource_edit"),
        {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404},
        default=200,
    ),
    "knowledge:resource_delete": Case(
        _resource("knowledge:resource_delete"),
        {**POST_PRIVATE, "viewer": 403},
        default=302,
        method="post",
    ),
}
