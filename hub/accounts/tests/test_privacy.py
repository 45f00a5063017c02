"""Exporting and erasing a user's data: the account, memberships, tokens, history, sessions."""

import csv
import io
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.accounts import privacy, services
from hub.accounts.factories import UserFactory
from hub.accounts.models import Membership, User
from hub.api.services import apitoken_create
from hub.core.models import HistoryEntry
from hub.core.testing.dbscan import find_in_database
from hub.directory import services as directory_services
from hub.partnerships import services as partnership_services
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

USERNAME = "qwyrtle_zandor"
FULL_NAME = "Qwyrtle Zandorovic"
EMAIL = "qz-4412@example.org"
SECRETS = (USERNAME, FULL_NAME, EMAIL)


@pytest.fixture
def member(manager, affiliate):
    """A user invited by the manager, promoted to editor, who edited a partnership, holds a token
    and is signed in."""
    invitation = directory_services.invitation_create(
        actor=manager, organization=affiliate, email=EMAIL, role="viewer"
    )
    user = UserFactory(username=USERNAME, first_name="Qwyrtle", last_name="Zandorovic", email=EMAIL)
    services.invitation_accept(user=user, invitation=invitation)
    directory_services.membership_set(
        actor=manager, organization=affiliate, user=user, role="editor"
    )
    apitoken_create(actor=user, name=f"{USERNAME}'s laptop", scope="write")
    return user


@pytest.fixture
def edited(member, affiliate):
    partnership = make_partnership(lead=affiliate, title="Wiki Loves Privacy")
    partnership_services.partnership_update(
        actor=member,
        partnership=partnership,
        expected_version=partnership.version,
        description=f"Ask {FULL_NAME} ({EMAIL}).",
    )
    return partnership


def test_a_user_downloads_their_own_data(member, edited, client_for):
    client = client_for(member)
    assert "Download my data" in client.get(reverse("accounts:account")).content.decode()
    data = json.loads(client.get(reverse("accounts:user_export", args=[member.pk, "json"])).content)
    records = {r["record"].split(" #")[0]: r for r in data["records"]}
    assert records["user"]["fields"]["email"] == EMAIL
    assert records["membership"]["fields"]["role"] == "editor"
    assert records["invitation"]["fields"]["email"] == EMAIL
    assert records["API token"]["fields"]["name"] == f"{USERNAME}'s laptop"
    assert records["history entry"]["fields"]["changed"] == f"partnerships.partnership #{edited.pk}"
    assert "secret_hash" not in json.dumps(data)

    response = client.get(reverse("accounts:user_export", args=[member.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"record": f"user #{member.pk}", "field": "username", "value": USERNAME} in [
        {k: row[k] for k in ("record", "field", "value")} for row in rows
    ]


def test_staff_erase_a_user_and_their_data_are_nowhere(
    member, edited, staff, affiliate, client_for
):
    client_for(member)  # a signed-in session of the user
    assert Session.objects.exists()
    assert {needle for _t, _c, needle in find_in_database(*SECRETS)} == set(SECRETS)
    partnership_entries = HistoryEntry.objects.for_object(edited).count()
    authored = HistoryEntry.objects.filter(actor=member).count()

    client = client_for(staff)
    assert (
        "What is kept"
        in client.get(reverse("accounts:user_erase", args=[member.pk])).content.decode()
    )
    response = client.post(reverse("accounts:user_erase", args=[member.pk]))
    assert response.status_code == 302

    assert find_in_database(*SECRETS) == []
    member.refresh_from_db()
    assert member.username == f"erased-{member.pk}"
    assert not member.is_active
    assert not member.has_usable_password()
    assert not Membership.objects.filter(user=member).exists()
    assert not member.api_tokens.exists()
    # The partnership and its history stay: who changed it is now the erased account.
    edited.refresh_from_db()
    assert edited.description == "Ask [erased] ([erased])."
    assert HistoryEntry.objects.for_object(edited).count() == partnership_entries + 1
    assert HistoryEntry.objects.filter(actor=member).count() == authored
    left = HistoryEntry.objects.for_object(affiliate).filter(action="erase").get()
    assert left.changes == {"members": ["[erased]: editor", ""]}
    assert left.actor == staff
    assert HistoryEntry.objects.for_object(member).get().actor == staff


def test_deleting_a_user_in_the_admin_erases_their_data_first(member, edited, staff, client_for):
    response = client_for(staff).post(
        reverse("admin:accounts_user_delete", args=[member.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert find_in_database(*SECRETS) == []


def test_a_user_name_that_is_a_role_is_erased_only_where_it_names_the_user(
    viewer, manager, staff, affiliate
):
    alice = UserFactory(username="alice")
    directory_services.membership_set(
        actor=manager, organization=affiliate, user=alice, role="viewer"
    )
    directory_services.membership_set(
        actor=manager, organization=affiliate, user=viewer, role="editor"
    )

    privacy.user_erase(actor=staff, user=viewer)

    members = [
        e.changes["members"]
        for e in HistoryEntry.objects.for_object(affiliate).order_by("at", "pk")
    ]
    assert members == [
        ["", "alice: viewer"],
        ["[erased]: viewer", "[erased]: editor"],
        ["[erased]: editor", ""],
    ]
    assert not Membership.objects.filter(user=viewer).exists()
    assert Membership.objects.get(user=alice).role == "viewer"


def test_only_staff_erase_accounts(member, manager, client_for):
    with pytest.raises(PermissionDenied):
        privacy.user_erase(actor=manager, user=member)
    with pytest.raises(PermissionDenied):
        privacy.user_erase(actor=member, user=member)
    assert (
        client_for(member).get(reverse("accounts:user_erase", args=[member.pk])).status_code == 403
    )
    assert User.objects.get(pk=member.pk).username == USERNAME


def test_administrators_are_erased_by_a_superuser_and_never_by_themselves(staff):
    plain_staff = UserFactory(username="helper", is_staff=True)
    other = UserFactory(username="admin2", is_staff=True, is_superuser=True)
    with pytest.raises(PermissionDenied):
        privacy.user_erase(actor=plain_staff, user=other)
    with pytest.raises(ValidationError):
        privacy.user_erase(actor=staff, user=staff)
    privacy.user_erase(actor=staff, user=other)
    other.refresh_from_db()
    assert (other.is_staff, other.is_superuser, other.is_active) == (False, False, False)


@pytest.mark.parametrize(
    ("persona", "export", "erase"),
    [("viewer", 404, 404), ("manager", 404, 404), ("outsider", 404, 404), ("staff", 200, 200)],
)
def test_other_users_data_pages_are_not_found(request, member, client_for, persona, export, erase):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.get(reverse("accounts:user_export", args=[member.pk, "json"])).status_code == export
    )
    assert client.get(reverse("accounts:user_erase", args=[member.pk])).status_code == erase
