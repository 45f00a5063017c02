"""The in-kind and grant lists filtered by a typed organization or partnership, as a person types
them; the API keeps taking numbers."""

import pytest

from hub.funding.factories import make_contribution, make_grant
from hub.partnerships.factories import make_partnership

IN_KIND = "/in-kind/"


def count(response) -> int:
    return response.context["page"].paginator.count


@pytest.fixture
def linked(affiliate, other_affiliate):
    glass = make_partnership(lead=affiliate, title="Glass plates")
    sound = make_partnership(lead=affiliate, title="Sound archive")
    secret = make_partnership(lead=other_affiliate, title="Glass secrets", visibility="private")
    make_contribution(receiving_organization=affiliate, partnership=glass)
    make_contribution(receiving_organization=affiliate, partnership=sound)
    make_contribution(receiving_organization=other_affiliate)
    make_grant(recipient=affiliate, partnership=glass)
    return glass, sound, secret


def test_in_kind_list_filters_by_partnership_title(client, linked):
    assert count(client.get(IN_KIND, {"partnership": "sound"})) == 1
    assert count(client.get(IN_KIND, {"partnership": "Glass plates (WMTL)"})) == 1
    # An old bookmark with the number still works.
    assert count(client.get(IN_KIND, {"partnership": str(linked[1].pk)})) == 1
    assert count(client.get("/in-kind/grants/", {"partnership": "glass"})) == 1


def test_in_kind_list_filters_by_receiving_organization_name(client, linked):
    assert count(client.get(IN_KIND, {"organization": "otherland"})) == 1
    assert count(client.get(IN_KIND, {"organization": "WMTL"})) == 2


def test_an_ambiguous_partnership_offers_the_candidates(client_for, linked, outsider, viewer):
    for user in (viewer, outsider):
        response = client_for(user).get(IN_KIND, {"partnership": "s"})
        text = response.content.decode()
        assert count(response) == 0
        assert "Partnership: Several partnerships match “s”. Which one did you mean?" in text
        assert "Glass plates (WMTL)" in text
        assert "Sound archive (WMTL)" in text
    # Private partnerships are neither matched nor offered to those who may not see them.
    assert (
        "Glass secrets"
        not in client_for(viewer).get(IN_KIND, {"partnership": "s"}).content.decode()
    )
    assert (
        "Glass secrets (WMOL)"
        in client_for(outsider).get(IN_KIND, {"partnership": "s"}).content.decode()
    )


def test_an_unseen_partnership_reads_like_a_missing_one(client, linked):
    unseen = client.get(IN_KIND, {"partnership": "Glass secrets"})
    assert count(unseen) == 0
    assert (
        "Partnership: No partnership you may see matches “Glass secrets”."
        in unseen.content.decode()
    )


def test_api_filters_keep_taking_numbers(client, linked, affiliate):
    glass = linked[0]
    by_number = client.get("/api/v1/contributions", {"partnership": str(glass.pk)}).json()
    assert [c["partnership"]["id"] for c in by_number["items"]] == [glass.pk]
    by_org = client.get("/api/v1/contributions", {"organization": str(affiliate.pk)}).json()
    assert len(by_org["items"]) == 2
    assert by_number["notices"] == by_org["notices"] == []


def _contribution(affiliate, partnership: str) -> dict:
    return {
        "receiving_organization": "Wikimedia Testland (WMTL)",
        "donor_name": "Someone",
        "partnership": partnership,
        "date": "2024-02-02",
        "category": "catering",
        "value": "5",
        "currency": "EUR",
    }


def test_the_contribution_form_links_a_partnership_typed_by_title(
    client_for, editor, affiliate, linked
):
    client = client_for(editor)
    page = client.get("/in-kind/new/").content.decode()
    assert 'list="id_partnership-options"' in page
    assert client.post("/in-kind/new/", _contribution(affiliate, "sound arch")).status_code == 302
    assert affiliate.inkind_received.filter(partnership=linked[1]).exists()
    refused = client.post("/in-kind/new/", _contribution(affiliate, "Glass secrets"))
    assert refused.context["form"].errors["partnership"] == [
        "None of the partnerships you may link matches “Glass secrets”. Check the spelling or "
        "type a part of its title."
    ]
