"""The Wikidata client against a local server answering with recorded Wikidata answers: what it
reads from searches and items, and how it behaves when Wikidata is busy, slow, down or refuses."""

import json

import httpx
import pytest

from hub.wiki.tests.wikidata_server import fixture, wikidata  # noqa: F401
from hub.wiki.wikidata.client import Candidate, WikidataClient, WikidataError, normalize_qid


def client(waits=None, **kwargs):
    return WikidataClient(sleep=(waits.append if waits is not None else lambda s: None), **kwargs)


def test_search_reads_label_description_and_qid_with_the_hubs_user_agent(wikidata):  # noqa: F811
    found = client().search("University of Duhok")
    assert found[0] == Candidate(
        qid="Q3666468",
        label="University of Duhok",
        description="university in Iraq",
        matched="University of Duhok",
    )
    assert [c.qid for c in found] == ["Q3666468", "Q101012636", "Q101012635"]
    params, headers = wikidata.requests[0]
    assert params["action"] == "wbsearchentities"
    assert params["maxlag"] == "5"
    assert params["formatversion"] == "2"
    assert headers["User-Agent"].startswith("PartnershipHub/")
    assert "httpx/" in headers["User-Agent"]


def test_search_keeps_the_alias_it_matched_and_finds_nothing_for_an_unknown_name(
    wikidata,  # noqa: F811
):
    found = client().search("UoD")
    assert (found[1].qid, found[1].matched) == ("Q3666468", "UoD")
    assert client().search("no such organization anywhere") == []
    assert client().search("   ") == []
    assert len(wikidata.requests) == 2  # a blank search asks nothing


def test_item_reads_labels_website_and_country(wikidata):  # noqa: F811
    item = client().item("Q3666468")
    assert item.labels == {"en": "University of Duhok", "ar": "جامعة دهوك"}
    assert item.description == "university in Iraq"
    assert item.website == "http://uod.ac"
    assert (item.country_qid, item.country) == ("Q796", "IQ")
    assert (item.ror_id, item.isil, item.viaf_id) == ("", "", "")
    assert wikidata.requests[0][0]["languages"] == "en|de|fr|es|ar"


def test_item_reads_viaf_from_a_recorded_full_answer(wikidata):  # noqa: F811
    item = client().item("q1024969")
    assert item.labels == {
        "en": "Cabrillo College",
        "de": "Cabrillo College",
        "fr": "Cabrillo College",
    }
    assert (item.viaf_id, item.country, item.website) == ("127130543", "US", "")


def test_item_prefers_preferred_statements_and_skips_unknown_and_deprecated_values(
    wikidata,  # noqa: F811
):
    item = client().item("Q99990001")
    assert item.website == "https://new.library.testland.example"
    assert (item.ror_id, item.isil, item.viaf_id) == ("04xyzt712", "XX-TESTLIB", "123456789")
    assert item.labels["ar"] == "المكتبة الوطنية في تستلاند"


@pytest.mark.parametrize(
    ("typed", "qid"),
    [("Q42", "Q42"), (" q42 ", "Q42"), ("https://www.wikidata.org/wiki/Q42", "Q42")],
)
def test_a_qid_is_read_as_people_type_it(typed, qid):
    assert normalize_qid(typed) == qid


@pytest.mark.parametrize("typed", ["", "pop", "Q0", "Q12a", "P31", "Q" + "1" * 20])
def test_a_bad_qid_is_refused_before_asking(typed):
    with pytest.raises(WikidataError, match="is not a Wikidata item"):
        normalize_qid(typed)


def test_an_item_wikidata_lacks_says_so(wikidata):  # noqa: F811
    with pytest.raises(WikidataError, match="Wikidata has no item Q99999999"):
        client().item("Q99999999")


def test_wikidatas_own_no_such_entity_error_says_the_item_is_missing(wikidata):  # noqa: F811
    wikidata.push(200, fixture("error_no_such_entity.json"))
    with pytest.raises(WikidataError, match="Wikidata has no item Q5"):
        client().item("Q5")


def test_maxlag_waits_as_long_as_wikidata_asks_then_asks_again(wikidata):  # noqa: F811
    lag = fixture("handmade_error_maxlag.json")
    wikidata.push(200, lag, {"Retry-After": "7", "X-Database-Lag": "7"})
    wikidata.push(200, lag, {"Retry-After": "7"})
    waits = []
    assert client(waits).search("University of Duhok")[0].qid == "Q3666468"
    assert waits == [7.0, 10.0]  # at least Retry-After, and longer each time
    assert len(wikidata.requests) == 3


def test_429_backs_off_and_gives_up_with_a_clear_message(wikidata):  # noqa: F811
    for _ in range(4):
        wikidata.push(429, "Too many requests", {"Retry-After": "1"})
    waits = []
    with pytest.raises(WikidataError, match="too busy"):
        client(waits).search("University of Duhok")
    assert waits == [5.0, 10.0, 20.0]
    assert len(wikidata.requests) == 4


def test_a_slow_wikidata_is_a_clear_message(wikidata):  # noqa: F811
    wikidata.delay = 1.0
    with pytest.raises(WikidataError, match="did not answer in time"):
        client(timeout=httpx.Timeout(0.2)).search("University of Duhok")


def test_a_wikidata_that_is_down_is_a_clear_message(wikidata):  # noqa: F811
    wikidata.stop()
    with pytest.raises(WikidataError, match="cannot be reached"):
        client().search("University of Duhok")


def test_an_error_page_instead_of_json_is_a_clear_message(wikidata):  # noqa: F811
    wikidata.push(503, "<html>Our servers are currently under maintenance</html>")
    with pytest.raises(WikidataError, match="did not answer as expected"):
        client().search("University of Duhok")


def test_a_refusal_gives_wikidatas_reason(wikidata):  # noqa: F811
    wikidata.push(200, fixture("handmade_error_readonly.json"))
    with pytest.raises(WikidataError, match="read-only mode"):
        client().item("Q3666468")


def test_an_answer_of_the_wrong_shape_is_a_clear_message(wikidata):  # noqa: F811
    wikidata.push(200, json.dumps({"batchcomplete": True}))
    with pytest.raises(WikidataError, match="did not answer as expected"):
        client().search("University of Duhok")


def test_a_host_the_operator_did_not_allow_is_never_asked(wikidata, settings):  # noqa: F811
    settings.WIKI_ALLOWED_HOSTS = ["www.wikidata.org"]
    with pytest.raises(WikidataError, match=r"may not ask 127\.0\.0\.1"):
        client().search("University of Duhok")
    assert wikidata.requests == []
