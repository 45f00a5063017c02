"""The browser's part of a Wikimedia sign-in, for the Django test client: post to the hub, follow it
to the local wiki's consent page, press Allow (or Cancel), come back to the hub's callback."""

from django.test import Client
from django.urls import reverse

from hub.core.testing.oauth_server import approve


def go_to_wiki(client: Client, start: str | None = None, **data) -> str:
    """Post the sign-in form (allauth's provider login, or an invitation's); the wiki's authorize
    address the hub sends the browser to."""
    response = client.post(start or reverse("mediawiki_login"), data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in_with_wikimedia(client: Client, start: str | None = None, *, allow: bool = True, **data):
    """The whole round trip; the hub's answer to the callback."""
    callback = approve(go_to_wiki(client, start, **data), allow=allow)
    return client.get(callback)
