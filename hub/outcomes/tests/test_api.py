"""The outcomes API: definitions, figures (list, filter, record) and roll-ups, compared whole."""

import pytest
from django.urls import reverse

from hub.outcomes.factories import make_figure
from hub.outcomes.models import Figure
from hub.partnerships.factories import make_partnership

BODY = {"metric": "commons_uploads", "period_start": "2026-01-01", "period_end": "2026-01-31"}


@pytest.fixture
def partnership(affiliate, editor):
    return make_partnership(lead=affiliate, actor=editor, title="Trams")


def _ref(key, name):
    return {
        "key": key,
        "version": 1,
        "name": name,
        "url": f"http://testserver/outcomes/definitions/{key}/v1/",
    }


def test_record_a_figure_and_read_it_back(client_for, editor, partnership):
    client = client_for(editor)
    response = client.post(
        reverse("api:outcome_figure_list"),
        {**BODY, "partnership": partnership.pk, "keys": ["File:A.jpg", "File:A.jpg", "B.jpg"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    figure = Figure.objects.get()
    expected = {
        "id": figure.pk,
        "partnership": {"id": partnership.pk, "title": "Trams"},
        "definition": _ref("commons_uploads", "Commons uploads"),
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "value": "2",
        "source": "hand",
        "source_ref": "",
        "taken_at": response.json()["taken_at"],
        "note": "",
        "keys": 2,
    }
    assert response.json() == expected
    listed = client.get(
        reverse("api:outcome_figure_list"),
        {"partnership": partnership.pk, "metric": "commons_uploads"},
    ).json()
    assert listed == {"items": [expected], "next": None, "notices": []}
    other = client.get(reverse("api:outcome_figure_list"), {"metric": "participants"}).json()
    assert other["items"] == []


def test_a_bad_key_is_a_422_naming_the_field(client_for, editor, partnership):
    response = client_for(editor).post(
        reverse("api:outcome_figure_list"),
        {**BODY, "metric": "wikidata_items_created", "partnership": partnership.pk, "keys": ["X1"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert any(e["path"] == "keys" for e in response.json()["errors"]), response.json()
    assert not Figure.objects.exists()


def test_alliance_totals_count_shared_files_once_and_hide_private(
    client_for, affiliate, other_affiliate, editor, anonymous
):
    from hub.accounts.system import system_actor
    from hub.directory import services as directory
    from hub.directory.factories import AffiliateFactory
    from hub.directory.models import Organization

    alliance = AffiliateFactory(name="Tram Hub", kind=Organization.Kind.HUB)
    for member in (affiliate, other_affiliate):
        directory.alliance_membership_add(actor=system_actor(), alliance=alliance, member=member)
    one = make_partnership(lead=affiliate, title="One")
    two = make_partnership(lead=other_affiliate, title="Two")
    hidden = make_partnership(lead=affiliate, title="Hidden", visibility="private")
    make_figure(partnership=one, metric="commons_uploads", keys=["File:A.jpg", "File:B.jpg"])
    make_figure(partnership=two, metric="commons_uploads", keys=["File:B.jpg", "File:C.jpg"])
    make_figure(partnership=hidden, metric="commons_uploads", keys=["File:D.jpg"])
    url = reverse("api:organization_outcomes", args=[alliance.pk])
    answer = client_for(anonymous).get(url).json()
    assert answer == {
        "organization": {"id": alliance.pk, "name": "Tram Hub", "short_code": alliance.short_code},
        "totals": [
            {
                "definition": _ref("commons_uploads", "Commons uploads"),
                "value": "3",
                "partnerships": 2,
                "distinct_keys": 3,
                "keyed_figures": 2,
                "summed": "0",
                "summed_figures": 0,
                "repeats_counted_once": 0,
                "asserted_figures": 0,
                "sharing_partners": 0,
                "method": "Each Commons file counted once (distinct keys): 3, from 2 figures.",
            }
        ],
    }
    member = client_for(editor).get(url).json()
    assert member["totals"][0]["value"] == "4"
    movement = client_for(anonymous).get(reverse("api:outcome_movement_totals")).json()
    assert movement["totals"][0]["value"] == "3"


def test_definitions_list_every_version(db, client):
    items = client.get(reverse("api:outcome_definition_list")).json()["items"]
    participants = next(i for i in items if i["key"] == "participants")
    assert participants["counted_by"] == "user"
    assert participants["confirmed"] is True
    assert participants["sources"] == ["https://meta.wikimedia.org/wiki/Grants:Metrics"]
    assert len(items) == 10
