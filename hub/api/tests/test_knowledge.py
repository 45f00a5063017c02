"""The knowledge endpoints: lessons, endorsements, clinic questions and answers, with the pages'
permissions."""

import pytest
from django.test import Client

from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_lesson, make_question
from hub.knowledge.models import Lesson, Question
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db
JSON = "application/json"
SECRET = "Zanzibar-secret-words"


def _get(path, headers=None):
    return Client().get(f"/api/v1{path}", headers=headers or {})


def _send(method, path, headers, data=None, **extra):
    return getattr(Client(), method)(
        f"/api/v1{path}", data=data, content_type=JSON, headers={**headers, **extra}
    )


def test_lesson_reads_whole_and_hides_what_the_caller_may_not_see(
    editor, affiliate, token_for, outsider
):
    hidden = make_partnership(lead=affiliate, title=SECRET, visibility="private")
    shown = make_partnership(lead=affiliate, title="Open partnership")
    original = make_lesson(actor=editor, organization=affiliate, visibility="private")
    lesson = make_lesson(
        actor=editor,
        organization=affiliate,
        title="Contract first",
        problem="A professor left.",
        kind="bad",
        category="agreements",
        language="de",
        translation_of=original,
        partnerships=[hidden, shown],
        steps=["formal_agreement"],
    )
    services.endorsement_create(actor=editor, lesson=lesson, partnership=hidden, comment="Yes")
    body = _get(f"/lessons/{lesson.pk}", token_for(outsider, "read")).json()
    assert body == {
        "id": lesson.pk,
        "title": "Contract first",
        "problem": "A professor left.",
        "solution": "",
        "things_to_consider": "",
        "when_to_use": "",
        "see_also": "",
        "category": "agreements",
        "kind": "bad",
        "status": "draft",
        "review_by": None,
        "language": "de",
        "translation_of": None,
        "organization": {"id": affiliate.pk, "name": affiliate.name, "short_code": "WMTL"},
        "partnerships": [{"id": shown.pk, "title": "Open partnership"}],
        "organizations": [],
        "steps": ["formal_agreement"],
        "goals": [],
        "partner_types": [],
        "visibility": "public",
        "is_demo": False,
        "endorsements": 1,
        "version": 1,
        "etag": f'"{lesson.pk}-1"',
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "url": f"http://testserver/knowledge/lessons/{lesson.pk}/",
    }
    endorsements = _get(f"/lessons/{lesson.pk}/endorsements").json()["items"]
    assert [(e["user"], e["comment"], e["partnership"]) for e in endorsements] == [
        ("editor", "Yes", None)
    ]
    assert _get(f"/lessons/{original.pk}").status_code == 404
    assert _get(f"/lessons/{original.pk}/endorsements").status_code == 404
    listed = _get("/lessons", token_for(outsider, "read")).json()["items"]
    assert [item["id"] for item in listed] == [lesson.pk]
    mine = _get(f"/lessons/{lesson.pk}", token_for(editor, "read")).json()
    assert mine["translation_of"] == original.pk
    assert {p["title"] for p in mine["partnerships"]} == {SECRET, "Open partnership"}


def test_write_a_lesson_change_it_with_its_etag_and_endorse_it(
    editor, affiliate, token_for, outsider
):
    auth = token_for(editor)
    created = _send(
        "post",
        "/lessons",
        auth,
        {
            "title": "Win-win first",
            "organization": affiliate.pk,
            "problem": "Partners drift away.",
            "goals": ["advocacy"],
            "status": "needs_review",
            "review_by": "2027-06-01",
        },
    )
    assert created.status_code == 201, created.json()
    lesson = Lesson.objects.get()
    assert created["Location"].endswith(f"/api/v1/lessons/{lesson.pk}")
    assert created["ETag"] == f'"{lesson.pk}-1"'
    assert _send("patch", f"/lessons/{lesson.pk}", auth, {"title": "X"}).status_code == 428
    changed = _send(
        "patch",
        f"/lessons/{lesson.pk}",
        auth,
        {"title": "Win-win, fast"},
        **{"If-Match": f'"{lesson.pk}-1"'},
    )
    assert changed.status_code == 200
    assert changed.json()["title"] == "Win-win, fast"
    stale = _send(
        "patch",
        f"/lessons/{lesson.pk}",
        auth,
        {"title": "Late"},
        **{"If-Match": f'"{lesson.pk}-1"'},
    )
    assert stale.status_code == 412
    endorsed = _send("post", f"/lessons/{lesson.pk}/endorsements", token_for(outsider), {})
    assert endorsed.status_code == 201
    again = _send("post", f"/lessons/{lesson.pk}/endorsements", token_for(outsider), {})
    assert again.status_code == 422
    withdrawn = _send("delete", f"/endorsements/{endorsed.json()['id']}", token_for(outsider))
    assert withdrawn.status_code == 204


def test_invalid_lessons_name_their_field(editor, affiliate, token_for):
    auth = token_for(editor)
    hidden = make_partnership(title=SECRET, visibility="private")
    cases = [
        ({"status": "needs_review"}, "review_by"),
        ({"partnerships": [hidden.pk]}, "partnerships"),
        ({"steps": ["nowhere"]}, "steps"),
        ({"organization": 987654}, "organization"),
        ({"organizations": [987654]}, "organizations"),
    ]
    for extra, field in cases:
        payload = {"title": "T", "organization": affiliate.pk, "problem": "P", **extra}
        response = _send("post", "/lessons", auth, payload)
        assert response.status_code == 422, (extra, response.json())
        assert field in str(response.json()["errors"]), (extra, response.json())
        assert SECRET not in response.content.decode()


def test_the_clinic_through_the_api(viewer, outsider, affiliate, token_for):
    asked = _send(
        "post",
        "/questions",
        token_for(viewer),
        {
            "title": "Partners talk only of outputs",
            "body": "Fourteen organizations.",
            "organization": affiliate.pk,
            "country": "EE",
            "goals": ["advocacy"],
        },
    )
    assert asked.status_code == 201, asked.json()
    question = Question.objects.get()
    answered = _send(
        "post", f"/questions/{question.pk}/answers", token_for(outsider), {"body": "Share it."}
    )
    assert answered.status_code == 200
    answer = answered.json()["answers"][0]
    assert answer["author"] == "outsider"
    refused = _send(
        "post", f"/questions/{question.pk}/solution", token_for(outsider), {"answer": answer["id"]}
    )
    assert refused.status_code == 403
    solved = _send(
        "post", f"/questions/{question.pk}/solution", token_for(viewer), {"answer": answer["id"]}
    )
    assert solved.status_code == 200
    assert solved.json()["status"] == "solved"
    assert solved.json()["answers"][0]["helped"] is True
    assert _get("/questions", token_for(viewer, "read")).json()["items"] == []
    listed = _get("/questions?status=solved", token_for(viewer, "read")).json()["items"]
    assert [q["id"] for q in listed] == [question.pk]
    assert listed[0]["country"] == "EE"
    assert listed[0]["goals"] == ["advocacy"]


def test_a_private_question_and_its_answers_are_404_to_outsiders(
    viewer, editor, outsider, affiliate, token_for
):
    question = make_question(
        actor=viewer, organization=affiliate, title=SECRET, body=SECRET, visibility="private"
    )
    make_answer(question=question, actor=editor, body=SECRET)
    auth = token_for(outsider)
    assert _get(f"/questions/{question.pk}", auth).status_code == 404
    answered = _send("post", f"/questions/{question.pk}/answers", auth, {"body": "x"})
    assert answered.status_code == 404
    listed = _get("/questions?status=all", auth)
    assert SECRET not in listed.content.decode()
