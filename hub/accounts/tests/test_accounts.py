import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.accounts.models import Membership, User
from hub.directory import services

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, editor):
    response = client.post(
        reverse("accounts:login"), {"login": "editor", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:account")).status_code == 302


def test_password_reset_sends_a_working_link(client, editor):
    client.post(reverse("accounts:password_reset"), {"email": editor.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    assert "form" in form_page.context
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a new long password 42", "password2": "a new long password 42"},
    )
    editor.refresh_from_db()
    assert editor.check_password("a new long password 42")


def test_manager_invites_and_the_invitee_signs_up(client, client_for, manager, affiliate):
    response = client_for(manager).post(
        reverse("members:list", args=[affiliate.pk]),
        {"email": "new.person@example.org", "role": "editor"},
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^/]+(/account/invitations/\S+/)", mail.outbox[0].body).group(1)
    response = client.post(
        link,
        {
            "username": "newperson",
            "password1": "a long secret 1234",
            "password2": "a long secret 1234",
        },
    )
    assert response.status_code == 302
    member = User.objects.get(username="newperson")
    assert Membership.objects.get(user=member, organization=affiliate).role == "editor"
    assert client.get(link).status_code == 404


def test_only_managers_invite(editor, affiliate):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=editor, organization=affiliate, email="x@example.org", role="viewer"
        )
    assert not mail.outbox


def test_an_organization_keeps_a_manager(manager, affiliate):
    membership = Membership.objects.get(user=manager)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=manager, membership=membership)
    with pytest.raises(ValidationError):
        services.membership_set(actor=manager, organization=affiliate, user=manager, role="viewer")
    assert Membership.objects.get(user=manager).role == "manager"


def test_manager_changes_roles_through_the_page(client_for, manager, viewer):
    membership = Membership.objects.get(user=viewer)
    client_for(manager).post(reverse("members:role", args=[membership.pk]), {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == "editor"
    client_for(manager).post(reverse("members:remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
