import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.knowledge import services
from hub.knowledge.factories import make_lesson, make_question
from hub.knowledge.models import Endorsement, Lesson
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


def test_write_a_lesson_edit_it_and_endorse_it_through_the_pages(
    client_for, editor, outsider, affiliate
):
    partnership = make_partnership(lead=affiliate, title="Professor project")
    client = client_for(editor)
    form = client.get(reverse("knowledge:lesson_create"))
    assert "Professor project" in form.content.decode()
    response = client.post(
        reverse("knowledge:lesson_create"),
        {
            "title": "Always have a contract",
            "organization": affiliate.pk,
            "kind": "bad",
            "category": "agreements",
            "problem": "A professor left halfway.",
            "solution": "Sign an agreement first.",
            "status": "published",
            "language": "en",
            "visibility": "public",
            "partnerships": [partnership.pk],
            "steps": ["formal_agreement"],
            "organization_1": "Wikimedia Testland",
        },
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert list(lesson.partnerships.all()) == [partnership]
    assert list(lesson.organizations.all()) == [affiliate]
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "A learning pattern for agreements" in page
    assert "Formal agreement" in page

    edit = client.get(reverse("knowledge:lesson_edit", args=[lesson.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(
        title="Always have a signed contract",
        partnerships=[partnership.pk],
        steps=["formal_agreement"],
        organization=affiliate.pk,
        organization_1="Wikimedia Testland",
    )
    response = client.post(reverse("knowledge:lesson_edit", args=[lesson.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    lesson.refresh_from_db()
    assert lesson.title == "Always have a signed contract"
    assert lesson.version == 2

    response = client_for(outsider).post(
        reverse("knowledge:lesson_endorse", args=[lesson.pk]), {"comment": "Us too"}
    )
    assert response.status_code == 302
    page = client_for(None).get(lesson.get_absolute_url()).content.decode()
    assert "Us too" in page
    assert "outsider" in page


def test_a_stale_edit_is_refused(client_for, editor, affiliate):
    lesson = make_lesson(actor=editor, organization=affiliate)
    client = client_for(editor)
    edit = client.get(reverse("knowledge:lesson_edit", args=[lesson.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data["organization"] = affiliate.pk
    services.lesson_update(actor=editor, lesson=lesson, title="Someone else's change")
    data["title"] = "Mine"
    response = client.post(reverse("knowledge:lesson_edit", args=[lesson.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    lesson.refresh_from_db()
    assert lesson.title == "Someone else's change"


def test_review_by_is_asked_for_on_the_form(client_for, editor, affiliate):
    response = client_for(editor).post(
        reverse("knowledge:lesson_create"),
        {
            "title": "T",
            "organization": affiliate.pk,
            "kind": "good",
            "category": "event",
            "problem": "P",
            "status": "needs_review",
            "language": "en",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "review_by" in response.context["form"].errors


def test_a_second_endorsement_is_refused_with_a_message(client_for, editor, affiliate):
    lesson = make_lesson(actor=editor, organization=affiliate)
    client = client_for(editor)
    client.post(reverse("knowledge:lesson_endorse", args=[lesson.pk]), {})
    response = client.post(reverse("knowledge:lesson_endorse", args=[lesson.pk]), {}, follow=True)
    assert "already" in response.content.decode()
    assert Endorsement.objects.count() == 1


def test_a_person_of_no_organization_cannot_write(client_for, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x")
    assert client_for(loner).get(reverse("knowledge:lesson_create")).status_code == 403
    assert client_for(loner).get(reverse("knowledge:question_create")).status_code == 403


@pytest.mark.parametrize("name", ["knowledge:lesson_list", "knowledge:question_list"])
def test_list_queries_do_not_grow_with_the_page(name, client_for, editor, affiliate, settings):
    for n in range(30):
        make_lesson(actor=editor, organization=affiliate, title=f"L{n}", goals=["content"])
        make_question(actor=editor, organization=affiliate, title=f"Q{n}", goals=["content"])
    client = client_for(editor)
    counts = []
    for size in (3, 30):
        settings.PAGE_SIZE = size
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
