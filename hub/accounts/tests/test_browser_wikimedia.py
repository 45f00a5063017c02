"""In Chromium: sign in with a Wikimedia account through the local wiki's consent page, and accept
an invitation the same way."""

import pytest

from hub.accounts.models import Membership
from hub.directory import services as directory_services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_accept_an_invitation_by_signing_in_with_wikimedia(
    browser_page, live_server, wiki_server, manager, affiliate
):
    wiki = wiki_server(live_server.url)
    invitation = directory_services.invitation_create(
        actor=manager, organization=affiliate, email="jane@example.org", role="viewer"
    )
    page = browser_page
    page.goto(f"/account/invitations/{invitation.token}/")
    page.shot("accounts-invitation-wikimedia")
    page.get_by_role("button", name="Accept by signing in with Wikimedia").click()
    page.wait_for_load_state()
    assert page.url.startswith(wiki.rest_api + "/oauth2/authorize")
    page.shot("accounts-wikimedia-consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + affiliate.get_absolute_url()
    assert "You are now a member of" in page.content()
    assert Membership.objects.filter(user__username="Jane_Doe", organization=affiliate).exists()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/account/login/")
    page.shot("accounts-login-wikimedia")
    page.get_by_role("button", name="Sign in with a Wikimedia account").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_load_state()
    page.goto("/account/")
    assert "Jane_Doe" in page.content()
    assert "Wikimedia account: Jane Doe" in page.content()
    page.get_by_role("link", name="Manage your Wikimedia account").click()
    page.wait_for_load_state()
    page.shot("accounts-wikimedia-connections")
    assert page.get_by_role("button", name="Remove Jane Doe").is_visible()


def test_cancelling_on_the_wiki_comes_back_with_a_clear_page(
    browser_page, live_server, wiki_server
):
    wiki_server(live_server.url)
    page = browser_page
    page.goto("/account/login/")
    page.get_by_role("button", name="Sign in with a Wikimedia account").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_load_state()
    page.shot("accounts-wikimedia-cancelled")
    assert "You did not allow the hub to know your Wikimedia account" in page.content()
