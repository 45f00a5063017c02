"""The API's export and erasure of a person's data: the pages' services, the pages' answers."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from hub.accounts.factories import UserFactory
from hub.core.models import HistoryEntry
from hub.directory import services
from hub.directory.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(editor, affiliate, museum):
    person = services.person_create(
        actor=editor,
        organization=museum,
        steward=affiliate,
        name="Vexmira Holtquist",
        email="vexmira@museum.example",
        consent_note="Agreed in person",
    )
    services.person_update(actor=editor, person=person, phone="+43 1 555 8812")
    return person


def _without_time(export: dict) -> dict:
    return {key: value for key, value in export.items() if key != "exported_at"}


def test_the_api_export_is_the_pages_export(person, manager, token_for, client_for):
    url = f"/api/v1/people/{person.pk}/personal-data"
    answer = Client().get(url, headers=token_for(manager, "read"))
    assert answer.status_code == 200
    page = client_for(manager).get(reverse("directory:person_export", args=[person.pk, "json"]))
    assert _without_time(answer.json()) == _without_time(json.loads(page.content))
    assert answer.json()["records"][0]["history"][1]["changes"] == {"phone": ["", "+43 1 555 8812"]}


def test_erasure_needs_a_read_write_token_of_a_manager(person, manager, editor, token_for):
    url = f"/api/v1/people/{person.pk}/personal-data"
    refused = Client().delete(url, headers=token_for(manager, "read"))
    assert refused.status_code == 403
    assert Client().delete(url, headers=token_for(editor)).status_code == 403
    assert Person.objects.get(pk=person.pk).erased_at is None

    erased = Client().delete(url, headers=token_for(manager))
    assert erased.status_code == 204
    person.refresh_from_db()
    assert person.erased_at is not None
    assert not Person.objects.filter(name="Vexmira Holtquist").exists()
    assert HistoryEntry.objects.for_object(person).first().action == "erase"

    again = Client().delete(url, headers=token_for(manager))
    assert again.status_code == 422
    assert again["Content-Type"] == "application/problem+json"


def test_a_session_erasure_needs_the_csrf_token(person, manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.delete(f"/api/v1/people/{person.pk}/personal-data")
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).erased_at is None


def test_users_export_themselves_and_staff_erase_them(viewer, staff, outsider, token_for):
    url = f"/api/v1/users/{viewer.pk}/personal-data"
    own = Client().get(url, headers=token_for(viewer, "read"))
    assert own.status_code == 200
    assert own.json()["records"][0]["fields"]["username"] == "viewer"
    assert Client().get(url, headers=token_for(outsider)).status_code == 404
    assert Client().delete(url, headers=token_for(viewer)).status_code == 403

    assert Client().delete(url, headers=token_for(staff)).status_code == 204
    viewer.refresh_from_db()
    assert viewer.username == f"erased-{viewer.pk}"
    # The erased account's tokens are gone: the viewer's token no longer reads anything.
    assert not viewer.api_tokens.exists()


def test_an_unknown_user_is_not_found(staff, token_for):
    missing = UserFactory().pk + 1000
    url = f"/api/v1/users/{missing}/personal-data"
    assert Client().get(url, headers=token_for(staff)).status_code == 404
    assert Client().delete(url, headers=token_for(staff)).status_code == 404
