"""A wiki that is down, slow, busy (maxlag, HTTP 429) or answers an edit conflict: local HTTP
servers stand in for it (hub/wiki/tests/servers.py). The person gets a clear message, never a 500,
and nothing is published; every request carries the User-Agent and maxlag=5."""

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from hub.partnerships.factories import make_partnership
from hub.wiki.client import (
    MAX_LAG_TRIES,
    Credentials,
    PageState,
    WikiClient,
    WikiEditConflict,
    WikiError,
    WikiSession,
    user_agent,
)
from hub.wiki.publishing import services
from hub.wiki.publishing.models import Publication
from hub.wiki.tests.servers import MAXLAG, TOO_MANY, Answer, serving

SECRET = "s3cret-bot-password-0123456789ab"
BOT = Credentials("bot_password", "Publisher@hub", SECRET)
LOGIN_TOKEN = Answer(body={"query": {"tokens": {"logintoken": "lt+\\"}}})
LOGGED_IN = Answer(body={"login": {"result": "Success", "lgusername": "Publisher"}})
USERINFO = Answer(body={"query": {"userinfo": {"id": 3, "name": "Publisher"}}})
CSRF = Answer(body={"query": {"tokens": {"csrftoken": "ct+\\"}}})
MISSING = Answer(body={"query": {"pages": [{"title": "Maps", "missing": True}]}})
PAGE = Answer(
    body={
        "query": {
            "pages": [
                {
                    "title": "Maps",
                    "revisions": [
                        {
                            "revid": 5,
                            "timestamp": "2026-12-01T10:00:00Z",
                            "slots": {"main": {"content": "old"}},
                        }
                    ],
                }
            ]
        }
    }
)
SAVED = Answer(body={"edit": {"result": "Success", "newrevid": 6}})
CONFLICT = Answer(body={"error": {"code": "editconflict", "info": "Edit conflict."}})


@pytest.fixture
def local_wikis(settings):
    settings.WIKI_ALLOWED_HOSTS = ["127.0.0.1"]


def _params(seen):
    query = parse_qs(urlsplit(seen.path).query)
    body = parse_qs(seen.body)
    return {k: v[0] for k, v in {**query, **body}.items()}


def test_a_publish_signs_in_waits_out_maxlag_and_429_and_keeps_the_etiquette(local_wikis):
    waits = []
    answers = [LOGIN_TOKEN, MAXLAG, LOGGED_IN, USERINFO, CSRF, MISSING, TOO_MANY, SAVED]
    with serving(answers) as wiki, WikiSession(wiki.api_url, BOT, sleep=waits.append) as session:
        session.login()
        revision = session.edit(
            title="Maps", text="new", summary="s", base=PageState("Maps", False)
        )
    assert revision == 6
    assert waits == [7.0, 5.0]  # maxlag's Retry-After; 429's 3 seconds raised to the minimum 5
    assert all(s.headers["User-Agent"] == user_agent() for s in wiki.seen)
    assert all(_params(s)["maxlag"] == "5" for s in wiki.seen)
    login = [_params(s) for s in wiki.seen if _params(s).get("action") == "login"]
    assert login[-1]["lgname"] == "Publisher@hub"
    # the password travels in a POST body only, never in an address
    assert all(SECRET not in s.path for s in wiki.seen)
    edit = _params(wiki.seen[-1])
    assert edit["action"] == "edit"
    assert edit["createonly"] == "1"
    assert edit["token"] == "ct+\\"
    assert list(parse_qs(wiki.seen[-1].body))[-1] == "token"  # the token goes last


def test_a_wiki_that_stays_busy_is_a_clear_message(local_wikis):
    waits = []
    with (
        serving([TOO_MANY]) as wiki,
        WikiSession(wiki.api_url, BOT, sleep=waits.append) as s,
        pytest.raises(WikiError) as caught,
    ):
        s.login()
    assert len(waits) == MAX_LAG_TRIES
    assert "is too busy to answer now" in str(caught.value)
    assert "Nothing was published" in str(caught.value)


def test_reading_a_page_waits_out_429_too(local_wikis):
    waits = []
    page = Answer(body={"query": {"pages": [{**PAGE.body["query"]["pages"][0], "fullurl": ""}]}})
    with serving([TOO_MANY, page]) as wiki:
        assert WikiClient(sleep=waits.append).page(wiki.api_url, "Maps").revision == 5
    assert waits == [5.0]


def test_an_edit_conflict_answered_by_the_wiki_is_a_conflict(local_wikis):
    answers = [LOGIN_TOKEN, LOGGED_IN, USERINFO, CSRF, PAGE, CONFLICT]
    base = PageState("Maps", True, 5, "2026-12-01T10:00:00Z", "old")
    with serving(answers) as wiki, WikiSession(wiki.api_url, BOT) as session:
        session.login()
        with pytest.raises(WikiEditConflict):
            session.edit(title="Maps", text="new", summary="s", base=base)
    edit = _params(wiki.seen[-1])
    assert (edit["baserevid"], edit["basetimestamp"]) == ("5", "2026-12-01T10:00:00Z")


def test_an_owner_only_token_is_sent_as_a_bearer_header(local_wikis):
    token = Credentials("oauth_token", "", "oauth-access-token-1")
    with serving([USERINFO, CSRF]) as wiki, WikiSession(wiki.api_url, token) as session:
        assert session.login() == "Publisher"
    assert all(s.headers["Authorization"] == "Bearer oauth-access-token-1" for s in wiki.seen)
    assert repr(token).count("oauth-access-token-1") == 0


@pytest.fixture
def publish_page(local_wikis, client_for, manager, editor, affiliate):
    """A function posting the preview step for a public partnership through a connection to
    `api_url`; the page's text."""

    partnership = make_partnership(lead=affiliate, actor=editor, visibility="public")

    def post(api_url):
        connection = services.connection_create(
            actor=manager,
            organization=affiliate,
            label="Local",
            api_url=api_url,
            kind="bot_password",
            username="Publisher@hub",
            secret=SECRET,
        )
        answer = client_for(editor).post(
            reverse("wiki:publish", args=["partnership", partnership.pk]),
            {"step": "preview", "connection": connection.pk, "title": "Maps"},
        )
        assert answer.status_code == 200
        assert not Publication.objects.exists()
        return answer.content.decode()

    return post


def test_a_wiki_that_is_down_is_named_on_the_page(publish_page):
    with socket.socket() as probe:  # a port with nothing behind it once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = publish_page(f"http://127.0.0.1:{port}/api.php")
    assert "127.0.0.1 cannot be reached. Nothing was published." in page


def test_a_slow_wiki_is_named_on_the_page(settings, publish_page):
    settings.WIKI_TIMEOUT_SECONDS = 1
    with serving([Answer(delay=3, body=MISSING.body)]) as wiki:
        page = publish_page(wiki.api_url)
    assert "127.0.0.1 did not answer in time. Nothing was published." in page
