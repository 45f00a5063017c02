"""A partnership linked from a contribution or grant, through the API: no existence oracle in the
lists' `?partnership=` filter, and writes held to the pages' rule (the service's one check)."""

import json

import pytest

from hub.funding.factories import make_contribution, make_grant
from hub.funding.models import Grant, InKindContribution
from hub.partnerships.factories import make_partnership

JSON = "application/json"
MISSING = 987654


@pytest.fixture
def linked(affiliate, registry):
    """A public contribution and a public grant linked (as old data may be) to another
    organization's private partnership."""
    contribution = make_contribution(receiving_organization=affiliate)
    grant = make_grant(recipient=affiliate, title="Public grant")
    their = registry["other_private"]
    InKindContribution.objects.filter(pk=contribution.pk).update(partnership=their)
    Grant.objects.filter(pk=grant.pk).update(partnership=their)
    return their


@pytest.mark.parametrize("path", ["/api/v1/contributions", "/api/v1/grants"])
@pytest.mark.parametrize("persona", ["anonymous", "viewer", "editor"])
def test_an_unseen_partnership_filters_like_a_missing_one(
    path, persona, linked, client_for, request
):
    client = client_for(request.getfixturevalue(persona))
    unseen = client.get(f"{path}?partnership={linked.pk}")
    missing = client.get(f"{path}?partnership={MISSING}")
    assert (unseen.status_code, unseen.json()) == (missing.status_code, missing.json())
    assert unseen.json()["items"] == []


def test_who_may_see_the_partnership_finds_what_links_it(linked, client_for, outsider):
    body = client_for(outsider).get(f"/api/v1/grants?partnership={linked.pk}").json()
    assert [item["partnership"] for item in body["items"]] == [
        {"id": linked.pk, "title": "Their private"}
    ]


@pytest.fixture
def api(client, editor, token_for):
    headers = token_for(editor)

    def call(method, url, body, **more):
        return getattr(client, method)(
            url, data=json.dumps(body), content_type=JSON, headers={**headers, **more}
        )

    return call


CONTRIBUTION = {"date": "2024-03-01", "category": "catering", "value": "10.00", "currency": "EUR"}
REFUSED = {
    "path": "partnership",
    "message": "Choose a partnership that Wikimedia Testland (WMTL) takes part in.",
}


def test_api_refuses_to_link_a_partnership_the_organization_takes_no_part_in(
    api, affiliate, other_affiliate, museum
):
    # Public, so the editor sees it; their organization takes no part in it.
    theirs = make_partnership(lead=other_affiliate, partners=[museum], title="Theirs")
    contribution = api(
        "post",
        "/api/v1/contributions",
        {
            **CONTRIBUTION,
            "receiving_organization": affiliate.pk,
            "donor_name": "Someone",
            "partnership": theirs.pk,
        },
    )
    grant = api(
        "post",
        "/api/v1/grants",
        {
            "title": "G",
            "funder": museum.pk,
            "recipient": affiliate.pk,
            "amount": "5.00",
            "currency": "EUR",
            "partnership": theirs.pk,
        },
    )
    for response in (contribution, grant):
        assert response.status_code == 422
        assert response.json()["errors"] == [REFUSED]
    assert not InKindContribution.objects.exists()
    assert not Grant.objects.exists()


def test_api_refuses_the_link_on_update_too(api, affiliate, other_affiliate, museum, registry):
    theirs = make_partnership(lead=other_affiliate, partners=[museum], title="Theirs")
    grant = make_grant(recipient=affiliate, partnership=registry["public"])
    response = api(
        "patch",
        f"/api/v1/grants/{grant.pk}",
        {"partnership": theirs.pk},
        **{"If-Match": f'"{grant.pk}-{grant.version}"'},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [REFUSED]
    grant.refresh_from_db()
    assert grant.partnership == registry["public"]
