"""The local OAuth 2 server that plays Meta-Wiki in the tests of sign-in with a Wikimedia account."""

import pytest
from allauth.socialaccount.providers.mediawiki.views import MediaWikiOAuth2Adapter

from hub.core.testing.oauth_server import MediaWikiOAuthServer

CLIENT_ID = "0123456789abcdef0123456789abcdef"
SECRET = "consumer-secret-9f8e7d6c5b4a"
CALLBACK = "/account/mediawiki/login/callback/"
PROFILE = {
    "sub": 4242,
    "username": "Jane Doe",
    "editcount": 1200,
    "confirmed_email": True,
    "email": "jane.wiki@example.org",
    "blocked": False,
    "registered": "20150301120000",
    "groups": ["*", "user", "autoconfirmed"],
    "rights": ["read", "edit"],
    "grants": ["basic"],
    "realname": "Jane Doe",
}


@pytest.fixture
def wiki_server(settings, monkeypatch):
    """Start a local wiki OAuth server whose consumer calls back to `origin` (the test client's
    http://testserver, or the live server's address) and point the hub's provider settings at it."""
    servers: list[MediaWikiOAuthServer] = []

    def start(origin: str = "http://testserver", **profile) -> MediaWikiOAuthServer:
        server = MediaWikiOAuthServer(
            client_id=CLIENT_ID,
            secret=SECRET,
            callback=origin + CALLBACK,
            profile={**PROFILE, **profile},
        ).start()
        servers.append(server)
        provider = settings.SOCIALACCOUNT_PROVIDERS["mediawiki"]
        settings.SOCIALACCOUNT_PROVIDERS = {
            "mediawiki": {
                **provider,
                "REST_API": server.rest_api,
                "APPS": [{"client_id": CLIENT_ID, "secret": SECRET}],
            }
        }
        settings.SECURE_CSP = {
            **settings.SECURE_CSP,
            "form-action": [*settings.SECURE_CSP["form-action"], server.origin],
        }
        # allauth's adapter reads REST_API once, when it is imported: the hub's settings have
        # been read long before a test starts its server.
        for endpoint, name in [
            ("authorize", "authorize_url"),
            ("access_token", "access_token_url"),
            ("resource/profile", "profile_url"),
        ]:
            monkeypatch.setattr(
                MediaWikiOAuth2Adapter, name, f"{server.rest_api}/oauth2/{endpoint}"
            )
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def wiki(wiki_server):
    """The local wiki, for the Django test client."""
    return wiki_server()
