"""Invitations expire, are accepted only by the invited address's account, and never leave an
organization without a manager."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from hub.accounts import services
from hub.accounts.factories import UserFactory
from hub.accounts.models import Invitation, Membership, User
from hub.directory import services as directory_services

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "username": "newperson",
    "password1": "a long secret 1234",
    "password2": "a long secret 1234",
}


def _invite(manager, affiliate, email="new.person@example.org", role="editor") -> Invitation:
    return directory_services.invitation_create(
        actor=manager, organization=affiliate, email=email, role=role
    )


def _age(invitation: Invitation, days: float) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _url(invitation: Invitation) -> str:
    return reverse("accounts:accept", args=[invitation.token])


def test_an_invitation_expires_after_fourteen_days(client, manager, affiliate):
    invitation = _invite(manager, affiliate)
    assert client.get(_url(invitation)).status_code == 200
    _age(invitation, 14)
    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    client.post(_url(invitation), NEW_ACCOUNT)
    assert not User.objects.filter(username="newperson").exists()


def test_an_expired_invitation_cannot_be_accepted_by_the_invited_account(
    client_for, manager, affiliate
):
    invitee = UserFactory(email="new.person@example.org")
    invitation = _invite(manager, affiliate)
    _age(invitation, 20)
    assert client_for(invitee).post(_url(invitation)).status_code == 410
    assert not Membership.objects.filter(user=invitee).exists()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=invitee, invitation=invitation)


def test_the_age_limit_is_a_setting(client, manager, affiliate, settings):
    settings.INVITATION_MAX_AGE_DAYS = 30
    invitation = _invite(manager, affiliate)
    _age(invitation, 20)
    assert client.get(_url(invitation)).status_code == 200
    assert Invitation.objects.filter(pk=invitation.pk).pending().exists()
    settings.INVITATION_MAX_AGE_DAYS = 7
    assert client.get(_url(invitation)).status_code == 410
    assert not Invitation.objects.filter(pk=invitation.pk).pending().exists()


def test_the_mail_says_until_when_the_link_works(manager, affiliate):
    invitation = _invite(manager, affiliate)
    assert invitation.expires_at.date() == (timezone.now() + timedelta(days=14)).date()
    assert f"Accept by {date_format(invitation.expires_at)}," in mail.outbox[0].body


def test_only_the_invited_addresss_account_accepts(client_for, manager, viewer, affiliate):
    invitation = _invite(manager, affiliate, email="new.person@example.org", role="manager")
    response = client_for(viewer).get(_url(invitation))
    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()
    assert "new.person@example.org" not in response.content.decode()
    assert client_for(viewer).post(_url(invitation)).status_code == 403
    assert Membership.objects.get(user=viewer).role == "viewer"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    invitee = UserFactory(email="New.Person@Example.ORG")  # addresses ignore case
    assert client_for(invitee).post(_url(invitation)).status_code == 302
    assert Membership.objects.get(user=invitee, organization=affiliate).role == "manager"


def test_a_new_account_gets_the_invited_address_whatever_is_posted(client, manager, affiliate):
    invitation = _invite(manager, affiliate)
    form = client.get(_url(invitation)).context["form"]
    assert "email" not in form.fields
    client.post(_url(invitation), {**NEW_ACCOUNT, "email": "someone.else@example.org"})
    member = User.objects.get(username="newperson")
    assert member.email == "new.person@example.org"
    assert Membership.objects.get(user=member).role == "editor"


def test_a_sole_manager_cannot_step_down_by_inviting_themselves(client_for, manager, affiliate):
    invitation = _invite(manager, affiliate, email=manager.email, role="viewer")
    client = client_for(manager)
    response = client.post(_url(invitation), follow=True)
    assert "An organization keeps at least one manager." in response.content.decode()
    assert Membership.objects.get(user=manager).role == "manager"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    second = UserFactory()
    Membership.objects.create(user=second, organization=affiliate, role="manager")
    client.post(_url(invitation))
    assert Membership.objects.get(user=manager).role == "viewer"


def test_the_members_page_lists_only_open_invitations(client_for, manager, affiliate):
    open_one = _invite(manager, affiliate, email="open@example.org")
    old_one = _invite(manager, affiliate, email="old@example.org")
    _age(old_one, 15)
    page = client_for(manager).get(reverse("members:list", args=[affiliate.pk]))
    assert open_one.email in page.content.decode()
    assert old_one.email not in page.content.decode()


def test_an_organization_name_with_a_line_break_still_sends_the_invitation(
    client_for, manager, affiliate
):
    """A name is posted as any text (the form keeps inner line breaks); the mail's subject, a
    header, holds it on one line instead of failing with a server error."""
    from hub.directory.services import organization_update

    organization_update(
        actor=manager, organization=affiliate, name="Wikimedia\r\nBcc: someone@example.org"
    )
    client = client_for(manager)
    client.raise_request_exception = False
    response = client.post(
        reverse("members:list", args=[affiliate.pk]),
        {"email": "new.person@example.org", "role": "viewer"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.recipients() == ["new.person@example.org"]
    assert message.subject == (
        "You are invited to Wikimedia Bcc: someone@example.org on the Partnership Hub"
    )
