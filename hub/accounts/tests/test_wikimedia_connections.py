"""Linking a Wikimedia account to an existing local account ("Your account" → connections), and
removing the link, never the last way to sign in."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from conftest import PASSWORD
from hub.accounts.factories import UserFactory
from hub.accounts.tests.wikimedia_flow import sign_in_with_wikimedia

pytestmark = pytest.mark.django_db


def _sign_in_with_password(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_a_local_account_links_its_wikimedia_account_and_signs_in_with_it(client, wiki, viewer):
    _sign_in_with_password(client, viewer)
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "No Wikimedia account is linked to this account yet." in page
    assert 'action="/account/mediawiki/login/?process=connect"' in page

    response = sign_in_with_wikimedia(client, process="connect")

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_connections")
    assert "Your Wikimedia account is linked: you can sign in with it." in _messages(response)
    account = SocialAccount.objects.get(user=viewer)
    assert account.uid == "4242"
    viewer.refresh_from_db()
    assert viewer.email == "viewer@example.org"  # linking changes nothing of the account
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Jane Doe" in page
    assert "https://meta.wikimedia.org/wiki/User:Jane_Doe" in page
    account_page = client.get(reverse("accounts:account")).content.decode()
    assert "Wikimedia account: Jane Doe" in account_page

    client.post(reverse("account_logout"))
    sign_in_with_wikimedia(client)
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_a_wikimedia_account_linked_to_another_account_is_not_moved(client, wiki, viewer, editor):
    SocialAccount.objects.create(user=editor, provider="mediawiki", uid="4242", extra_data={})
    _sign_in_with_password(client, viewer)
    response = sign_in_with_wikimedia(client, process="connect")
    assert "This Wikimedia account is already linked to another account of the hub." in _messages(
        response
    )
    assert SocialAccount.objects.get(uid="4242").user == editor
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_linking_needs_a_signed_in_person(client, wiki):
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_link_is_removed_when_a_password_remains(client, wiki, viewer):
    account = SocialAccount.objects.create(user=viewer, provider="mediawiki", uid="4242")
    _sign_in_with_password(client, viewer)
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert response.status_code == 302
    assert "The Wikimedia account is no longer linked to this account." in _messages(response)
    assert not SocialAccount.objects.filter(user=viewer).exists()


def test_the_last_way_to_sign_in_cannot_be_removed(client, wiki):
    user = UserFactory(username="wikionly")
    user.set_unusable_password()
    user.save()
    account = SocialAccount.objects.create(user=user, provider="mediawiki", uid="4242")
    sign_in_with_wikimedia(client)
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert response.status_code == 200
    assert (
        "This Wikimedia account is the only way to sign in to your account: set a password "
        "first, then remove it." in response.content.decode()
    )
    assert SocialAccount.objects.filter(pk=account.pk).exists()
    account_page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("account_set_password") in account_page


def test_nobody_removes_another_persons_link(client, wiki, viewer, editor):
    account = SocialAccount.objects.create(user=editor, provider="mediawiki", uid="4242")
    _sign_in_with_password(client, viewer)
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert response.status_code == 200  # the form refuses a choice that is not the viewer's
    assert SocialAccount.objects.filter(pk=account.pk).exists()
