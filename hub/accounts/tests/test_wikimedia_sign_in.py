"""Sign-in with a Wikimedia account against a local OAuth 2 server speaking MediaWiki's endpoints
(hub/core/testing/oauth_server.py): new accounts only through an invitation, returning users, what
is kept of the wiki's profile, failures answered with a clear page, the User-Agent sent."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.urls import reverse

from hub.accounts import wikimedia
from hub.accounts.factories import UserFactory
from hub.accounts.models import Invitation, Membership, User
from hub.accounts.tests.conftest import CLIENT_ID, SECRET
from hub.accounts.tests.wikimedia_flow import go_to_wiki, sign_in_with_wikimedia
from hub.core.testing.oauth_server import approve
from hub.directory import services as directory_services
from hub.wiki.client import hub_version

pytestmark = pytest.mark.django_db

WIKIMEDIA_URLS = [
    reverse("mediawiki_login"),
    reverse("mediawiki_callback"),
    reverse("socialaccount_login_cancelled"),
    reverse("socialaccount_login_error"),
    reverse("socialaccount_signup"),
    reverse("socialaccount_connections"),
]


def _invite(manager, affiliate, email="jane@example.org", role="editor") -> Invitation:
    return directory_services.invitation_create(
        actor=manager, organization=affiliate, email=email, role=role
    )


def _accept_url(invitation: Invitation) -> str:
    return reverse("accounts:accept_wikimedia", args=[invitation.token])


def _signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


# -- not configured ------------------------------------------------------------------------------


def test_without_a_client_id_there_is_no_button_and_the_pages_answer_404(
    client, manager, affiliate
):
    assert not wikimedia.enabled()
    assert "Wikimedia account" not in client.get(reverse("account_login")).content.decode()
    invitation = _invite(manager, affiliate)
    page = client.get(reverse("accounts:accept", args=[invitation.token])).content.decode()
    assert "with Wikimedia" not in page
    assert client.post(_accept_url(invitation)).status_code == 404
    for url in WIKIMEDIA_URLS:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    client.force_login(manager)
    assert "Wikimedia account" not in client.get(reverse("accounts:account")).content.decode()


# -- the sign-in page ----------------------------------------------------------------------------


def test_the_sign_in_page_offers_wikimedia_as_a_post_form_beside_the_local_form(client, wiki):
    response = client.get(reverse("account_login") + "?next=/partnerships/")
    page = response.content.decode()
    assert "Sign in with a Wikimedia account" in page
    wiki_form = page.index(
        f'action="{reverse("mediawiki_login")}?process=login&amp;next=%2Fpartnerships%2F"'
    )
    assert 'method="post"' in page[page.rindex("<form", 0, wiki_form) : wiki_form]
    assert "csrfmiddlewaretoken" in page[wiki_form : page.index("</form>", wiki_form)]
    assert 'name="password"' in page  # the local form stays
    # The browser is sent on to the wiki by the form's redirect: the policy allows it.
    assert wiki.origin in response.headers["Content-Security-Policy"]


def test_the_authorize_request_names_the_consumer_and_the_callback(client, wiki):
    authorize = go_to_wiki(client)
    parts = urlsplit(authorize)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{wiki.rest_api}/oauth2/authorize"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/account/mediawiki/login/callback/"
    assert query["response_type"] == "code"
    assert query["state"]
    assert SECRET not in authorize


def test_the_login_url_needs_a_post_with_csrf(wiki):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("mediawiki_login")).status_code == 403
    # A GET only shows a page with a button: no redirect to the wiki without the person's post.
    response = strict.get(reverse("mediawiki_login"))
    assert response.status_code == 200
    assert "Continue" in response.content.decode()


# -- new accounts --------------------------------------------------------------------------------


def test_an_unknown_wikimedia_account_without_invitation_gets_no_account(client, wiki):
    response = sign_in_with_wikimedia(client)
    assert response.status_code == 200
    assert "accounts are created only through an invitation" in response.content.decode()
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert _signed_in_user(client) is None


def test_an_invitation_accepted_by_signing_in_with_wikimedia(client, wiki, manager, affiliate):
    invitation = _invite(manager, affiliate, email="Jane@Example.org", role="editor")
    page = client.get(reverse("accounts:accept", args=[invitation.token])).content.decode()
    assert "Accept by signing in with Wikimedia" in page
    assert f'action="{_accept_url(invitation)}"' in page

    response = sign_in_with_wikimedia(client, _accept_url(invitation))

    assert response.status_code == 302
    assert response["Location"] == affiliate.get_absolute_url()
    user = _signed_in_user(client)
    assert user.username == "Jane_Doe"
    assert user.email == "Jane@Example.org"  # the invited address, as for a local account
    assert (user.first_name, user.last_name) == ("Jane", "Doe")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organization=affiliate).role == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("mediawiki", "4242")
    assert account.extra_data["username"] == "Jane Doe"
    assert not SocialToken.objects.exists()  # the access token is never kept
    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"You are now a member of {affiliate}." in messages


def test_an_invitation_is_accepted_exactly_once(client, wiki, manager, affiliate):
    invitation = _invite(manager, affiliate)
    callback = approve(go_to_wiki(client, _accept_url(invitation)))
    assert client.get(callback).status_code == 302
    # The wiki's answer replayed: its state is used up, nothing happens twice.
    replay = client.get(callback)
    assert replay.status_code == 401
    assert Membership.objects.filter(organization=affiliate).count() == 2  # manager + Jane
    assert User.objects.filter(username__startswith="Jane").count() == 1
    # The link itself is spent too.
    client.logout()
    assert client.post(_accept_url(invitation)).status_code == 404


def test_an_expired_invitation_cannot_be_accepted_through_wikimedia(
    client, wiki, manager, affiliate
):
    from datetime import timedelta

    from django.utils import timezone

    invitation = _invite(manager, affiliate)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS + 1)
    )
    assert client.post(_accept_url(invitation)).status_code == 410
    assert not wiki.received("authorize")


def test_an_invitation_that_expires_during_the_round_trip_creates_no_account(
    client, wiki, manager, affiliate
):
    from datetime import timedelta

    from django.utils import timezone

    invitation = _invite(manager, affiliate)
    callback = approve(go_to_wiki(client, _accept_url(invitation)))
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS + 1)
    )
    response = client.get(callback)
    assert "accounts are created only through an invitation" in response.content.decode()
    assert not User.objects.filter(username="Jane_Doe").exists()


def test_a_taken_user_name_gets_a_number(client, wiki, manager, affiliate):
    UserFactory(username="jane_doe")
    sign_in_with_wikimedia(client, _accept_url(_invite(manager, affiliate)))
    assert _signed_in_user(client).username == "Jane_Doe_2"


@pytest.mark.parametrize(
    ("wiki_name", "expected"),
    [
        ("Jane Doe", "Jane_Doe"),
        ("محمد علي", "محمد_علي"),
        ("Ça/va (WMFR)", "Çava_WMFR"),
        ("!!!", "wikimedian"),
        ("x" * 200, "x" * 150),
    ],
)
def test_user_names_from_wiki_user_names(wiki_name, expected):
    assert wikimedia.unique_username(wiki_name) == expected


def test_an_unconfirmed_email_address_is_not_stored(client, wiki, manager, affiliate):
    wiki.profile.update(confirmed_email=False, email="unconfirmed@example.net")
    sign_in_with_wikimedia(client, _accept_url(_invite(manager, affiliate)))
    user = _signed_in_user(client)
    assert user.email == "jane@example.org"
    assert not EmailAddress.objects.filter(email__iexact="unconfirmed@example.net").exists()
    account = SocialAccount.objects.get(user=user)
    assert "unconfirmed@example.net" not in str(account.extra_data)


def test_a_confirmed_email_address_is_kept_as_verified(client, wiki, manager, affiliate):
    sign_in_with_wikimedia(client, _accept_url(_invite(manager, affiliate)))
    user = _signed_in_user(client)
    address = EmailAddress.objects.get(user=user, email="jane.wiki@example.org")
    assert address.verified
    assert user.email == "jane@example.org"  # the account's address is still the invited one


# -- returning users -----------------------------------------------------------------------------


def test_a_returning_wikimedia_user_signs_in(client, wiki, viewer):
    SocialAccount.objects.create(user=viewer, provider="mediawiki", uid="4242", extra_data={})
    response = sign_in_with_wikimedia(client, next="/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert _signed_in_user(client) == viewer
    assert User.objects.count() == 1
    account = SocialAccount.objects.get(user=viewer)
    assert account.extra_data["username"] == "Jane Doe"  # refreshed from the wiki


def test_a_returning_user_accepting_an_invitation_for_their_address(
    client, wiki, viewer, manager, other_affiliate
):
    SocialAccount.objects.create(user=viewer, provider="mediawiki", uid="4242", extra_data={})
    from hub.accounts.factories import MembershipFactory

    MembershipFactory(organization=other_affiliate, role="manager", user=manager)
    invitation = _invite(manager, other_affiliate, email=viewer.email, role="viewer")
    response = sign_in_with_wikimedia(client, _accept_url(invitation))
    assert response["Location"] == other_affiliate.get_absolute_url()
    assert Membership.objects.filter(user=viewer, organization=other_affiliate).exists()


def test_a_returning_user_with_another_address_cannot_take_the_invitation(
    client, wiki, viewer, manager, affiliate
):
    SocialAccount.objects.create(user=viewer, provider="mediawiki", uid="4242", extra_data={})
    invitation = _invite(manager, affiliate, email="someone.else@example.org")
    response = sign_in_with_wikimedia(client, _accept_url(invitation))
    assert response["Location"] == reverse("accounts:account")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "This invitation is for another e-mail address." in messages
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# -- failures ------------------------------------------------------------------------------------


def test_a_wrong_state_gets_a_clear_page(client, wiki):
    callback = approve(go_to_wiki(client))
    tampered = callback.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 401
    assert "This sign-in could not be checked" in response.content.decode()
    assert _signed_in_user(client) is None


def test_a_denied_authorization_gets_a_clear_page(client, wiki):
    response = sign_in_with_wikimedia(client, allow=False)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You did not allow the hub to know your Wikimedia account" in page.content.decode()
    assert _signed_in_user(client) is None


def test_a_wiki_that_is_down_gets_a_clear_page(client, wiki, caplog):
    callback = approve(go_to_wiki(client))
    wiki.stop()
    with caplog.at_level(logging.DEBUG):
        response = client.get(callback)
    assert response.status_code == 401
    assert "the wiki did not answer, or refused" in response.content.decode()
    assert "Wikimedia sign-in failed" in caplog.text
    assert SECRET not in caplog.text


def test_a_refused_secret_gets_a_clear_page_and_the_secret_is_never_shown(
    client, wiki, caplog, settings
):
    wiki.secret = "the wiki knows another secret"
    with caplog.at_level(logging.DEBUG):
        response = sign_in_with_wikimedia(client)
    assert response.status_code == 401
    page = response.content.decode()
    assert "the wiki did not answer, or refused" in page
    assert SECRET not in page
    assert "invalid_client" not in page  # the wiki's answer is not quoted either
    assert SECRET not in caplog.text
    assert _signed_in_user(client) is None


def test_a_callback_without_code_or_state_is_no_500(client, wiki):
    response = client.get(reverse("mediawiki_callback"))
    assert response.status_code == 401
    response = client.get(reverse("mediawiki_callback") + "?error=server_error&state=abc")
    assert response.status_code == 401


def test_every_request_to_the_wiki_carries_the_hubs_user_agent(client, wiki, manager, affiliate):
    sign_in_with_wikimedia(client, _accept_url(_invite(manager, affiliate)))
    contact = settings.WIKI_USER_AGENT_CONTACT or settings.SITE_URL
    expected = settings.SOCIALACCOUNT_PROVIDERS["mediawiki"]["USER_AGENT"]
    assert expected.startswith(f"PartnershipHub/{hub_version()} ({contact}) requests/")
    server_side = wiki.received("access_token") + wiki.received("resource/profile")
    assert len(server_side) == 2
    for received in server_side:
        assert received.headers["User-Agent"] == expected
    assert wiki.received("access_token")[0].form["client_secret"] == SECRET


@pytest.mark.parametrize("persona", ["anonymous", "viewer"])
def test_the_wikimedia_pages_when_configured(persona, wiki, client_for, viewer, manager, affiliate):
    client = client_for(viewer if persona == "viewer" else None)
    signed_in = persona == "viewer"
    assert client.get(reverse("mediawiki_login")).status_code == 200
    assert client.get(reverse("mediawiki_callback")).status_code == 401
    assert client.get(reverse("socialaccount_login_cancelled")).status_code == 200
    assert client.get(reverse("socialaccount_login_error")).status_code == 401
    assert client.get(reverse("socialaccount_signup")).status_code == 302
    assert client.get(reverse("socialaccount_connections")).status_code == (
        200 if signed_in else 302
    )
    invitation = _invite(manager, affiliate)
    assert client.get(_accept_url(invitation)).status_code == 405
    assert client.post(_accept_url(invitation)).status_code == 302
    assert client.post(reverse("accounts:accept_wikimedia", args=["no-such"])).status_code == 404
