"""The client's etiquette and refusals, against a fake wiki (httpx.MockTransport): no network."""

import json

import httpx
import pytest

from hub.wiki.client import (
    MAX_LAG_TRIES,
    WikiClient,
    WikiError,
    api_url_for,
    host_allowed,
    user_agent,
)

API = "https://meta.wikimedia.org/w/api.php"
PAGE = {
    "batchcomplete": True,
    "query": {
        "pages": [
            {
                "ns": 0,
                "title": "Iberocoop",
                "fullurl": "https://meta.wikimedia.org/wiki/Iberocoop",
                "revisions": [{"revid": 42, "slots": {"main": {"content": "{|\n! A\n|}"}}}],
            }
        ]
    },
}
MAXLAG = {"error": {"code": "maxlag", "info": "Waiting for 10.0.0.1: 7 seconds lagged."}}


def fake_wiki(*answers, seen=None):
    """A transport that gives `answers` in turn (each a Response, or JSON for a 200 answer)."""
    queue = list(answers)

    def handle(request):
        if seen is not None:
            seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, httpx.Response):
            return answer
        headers = {"content-type": "application/json; charset=utf-8"}
        if answer is MAXLAG:
            headers |= {"retry-after": "7", "x-database-lag": "7"}
        return httpx.Response(200, content=json.dumps(answer), headers=headers)

    return httpx.MockTransport(handle)


def test_every_request_names_the_hub_asks_for_maxlag_and_the_current_revision(settings):
    settings.WIKI_USER_AGENT_CONTACT = "partnerships@example.org"
    seen = []
    page = WikiClient(transport=fake_wiki(PAGE, seen=seen)).page(API, "Iberocoop")
    assert (page.title, page.revision, page.wikitext) == ("Iberocoop", 42, "{|\n! A\n|}")
    assert page.permalink == "https://meta.wikimedia.org/w/index.php?oldid=42"
    (request,) = seen
    agent = request.headers["user-agent"]
    assert agent.startswith("PartnershipHub/0.1.0 (partnerships@example.org) httpx/")
    assert agent == user_agent()
    params = dict(request.url.params)
    assert params["maxlag"] == "5"
    assert params["titles"] == "Iberocoop"
    assert params["redirects"] == "1"
    assert params["format"] == "json"


def test_the_contact_defaults_to_the_sites_address(settings):
    settings.WIKI_USER_AGENT_CONTACT = ""
    settings.SITE_URL = "https://hub.example.org"
    assert "(https://hub.example.org)" in user_agent()


def test_maxlag_waits_its_retry_after_then_asks_again():
    waits = []
    client = WikiClient(transport=fake_wiki(MAXLAG, MAXLAG, PAGE), sleep=waits.append)
    assert client.page(API, "Iberocoop").revision == 42
    assert waits == [7.0, 7.0]


def test_maxlag_waits_at_least_five_seconds():
    waits = []
    lag = httpx.Response(200, json=MAXLAG, headers={"retry-after": "1"})
    WikiClient(transport=fake_wiki(lag, PAGE), sleep=waits.append).page(API, "Iberocoop")
    assert waits == [5.0]


def test_maxlag_gives_up_after_a_bounded_number_of_tries():
    waits = []
    answers = [MAXLAG] * (MAX_LAG_TRIES + 1)
    client = WikiClient(transport=fake_wiki(*answers), sleep=waits.append)
    with pytest.raises(WikiError) as caught:
        client.page(API, "Iberocoop")
    assert len(waits) == MAX_LAG_TRIES
    assert str(caught.value) == (
        "meta.wikimedia.org is too busy to answer now (its databases are lagging), so "
        "'Iberocoop' could not be read. Try again in a few minutes."
    )


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>Welcome</html>", headers={"content-type": "text/html"}),
        httpx.Response(200, text="{not json", headers={"content-type": "application/json"}),
        httpx.Response(200, json={"hello": "world"}),
        httpx.Response(200, json={"query": {"pages": [{"title": "X", "revisions": []}]}}),
        httpx.Response(404, text="Not Found"),
        httpx.Response(500, json={"error": "boom"}),
    ],
    ids=["html", "broken-json", "other-json", "no-revision", "404", "500"],
)
def test_an_answer_that_is_not_mediawikis_is_said_plainly(answer):
    with pytest.raises(WikiError) as caught:
        WikiClient(transport=fake_wiki(answer)).page(API, "Iberocoop")
    assert str(caught.value) == (
        "meta.wikimedia.org did not answer like a MediaWiki wiki, so 'Iberocoop' could not be read."
    )


def test_an_http_redirect_is_not_followed():
    moved = httpx.Response(301, headers={"location": "https://elsewhere.example/api.php"})
    with pytest.raises(WikiError) as caught:
        WikiClient(transport=fake_wiki(moved)).page(API, "Iberocoop")
    assert "(https://elsewhere.example/api.php)" in str(caught.value)


def test_an_unreachable_or_slow_wiki_is_named():
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    def slow(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(WikiError, match=r"^meta\.wikimedia\.org cannot be reached, so 'X'"):
        WikiClient(transport=httpx.MockTransport(refuse)).page(API, "X")
    with pytest.raises(WikiError, match=r"^meta\.wikimedia\.org did not answer in time"):
        WikiClient(transport=httpx.MockTransport(slow)).page(API, "X")


def test_an_api_error_is_passed_on_with_the_wiki_and_title():
    refused = {"error": {"code": "readapidenied", "info": "You need read permission."}}
    with pytest.raises(WikiError) as caught:
        WikiClient(transport=fake_wiki(refused)).page(API, "Secret")
    assert str(caught.value) == (
        "meta.wikimedia.org refused to give 'Secret': You need read permission."
    )


def test_only_the_allowed_wikis_are_asked(settings):
    assert settings.WIKI_ALLOWED_HOSTS  # the default: Wikimedia's projects
    assert host_allowed("meta.wikimedia.org")
    assert host_allowed("es.wikipedia.org")
    assert host_allowed("www.wikidata.org")
    for host in ("wikipedia.org.evil.example", "evilwikipedia.org", "127.0.0.1", "localhost"):
        assert not host_allowed(host), host
    seen = []
    with pytest.raises(WikiError) as caught:
        WikiClient(transport=fake_wiki(PAGE, seen=seen)).page("http://127.0.0.1:8080/api.php", "X")
    assert str(caught.value) == (
        "The hub does not read pages from 127.0.0.1. It reads only the wikis its operator "
        "allows (WIKI_ALLOWED_HOSTS)."
    )
    assert seen == []


def test_a_wiki_is_given_by_host_or_address():
    assert api_url_for("meta.wikimedia.org") == "https://meta.wikimedia.org/w/api.php"
    assert api_url_for("https://meta.wikimedia.org/wiki/Iberocoop") == (
        "https://meta.wikimedia.org/w/api.php"
    )
    assert api_url_for(API + "?action=query") == API
    for wrong in ("ftp://meta.wikimedia.org/", "https://user:pw@meta.wikimedia.org/", "https://"):
        with pytest.raises(WikiError):
            api_url_for(wrong)
