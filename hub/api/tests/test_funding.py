"""Contributions, valuation rates and grants through the API."""

import json
from decimal import Decimal

import pytest

from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.funding.models import Grant, InKindContribution

JSON = "application/json"


@pytest.fixture
def api(client, editor, token_for):
    headers = token_for(editor)

    def call(method, url, body=None, **more):
        kwargs = {"headers": {**headers, **more}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type=JSON)
        return getattr(client, method)(url, **kwargs)

    return call


def test_contribution_payload_hides_a_partnership_the_caller_may_not_see(
    client, client_for, viewer, affiliate, museum, registry
):
    c = make_contribution(
        receiving_organization=affiliate,
        donor_organization=museum,
        partnership=registry["private"],
        value=Decimal("250.50"),
        description="Room for the edit-a-thon",
    )
    body = client.get(f"/api/v1/contributions/{c.pk}").json()
    assert body == {
        "id": c.pk,
        "receiving_organization": {
            "id": affiliate.pk,
            "name": "Wikimedia Testland",
            "short_code": "WMTL",
        },
        "donor_organization": {"id": museum.pk, "name": "Testland Museum", "short_code": None},
        "donor_name": "",
        "partnership": None,
        "date": "2024-05-04",
        "period_end": None,
        "category": "venue_space",
        "description": "Room for the edit-a-thon",
        "quantity": None,
        "unit": "",
        "value": "250.50",
        "currency": "EUR",
        "valuation_method": "fair_market_value",
        "value_source": "given",
        "evidence_url": "",
        "acknowledgement": "",
        "confidential": False,
        "archived": False,
        "version": 1,
        "etag": f'"{c.pk}-1"',
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "url": f"http://testserver{c.get_absolute_url()}",
    }
    member_view = client_for(viewer).get(f"/api/v1/contributions/{c.pk}").json()
    assert member_view["partnership"] == {"id": registry["private"].pk, "title": "Private one"}


def test_confidential_records_are_hidden_from_outsiders(
    client, client_for, outsider, affiliate, museum
):
    secret = make_contribution(
        receiving_organization=affiliate, donor_organization=museum, confidential=True
    )
    open_one = make_contribution(receiving_organization=affiliate, donor_organization=museum)
    secret_grant = make_grant(recipient=affiliate, confidential=True)
    for c in (client, client_for(outsider)):
        assert [i["id"] for i in c.get("/api/v1/contributions").json()["items"]] == [open_one.pk]
        assert c.get(f"/api/v1/contributions/{secret.pk}").status_code == 404
        assert c.get(f"/api/v1/grants/{secret_grant.pk}").status_code == 404
        assert c.get("/api/v1/grants").json()["items"] == []


def test_create_and_update_a_contribution_with_the_version_check(api, affiliate):
    make_rate(
        organization=affiliate, category="volunteer_time", unit="hours", amount=Decimal("20.00")
    )
    created = api(
        "post",
        "/api/v1/contributions",
        {
            "receiving_organization": affiliate.pk,
            "donor_name": "Volunteers",
            "date": "2024-03-01",
            "category": "volunteer_time",
            "quantity": "10",
            "unit": "hours",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["value"], body["currency"], body["value_source"]) == ("200.00", "EUR", "rate")
    url = f"/api/v1/contributions/{body['id']}"
    assert api("patch", url, {"quantity": "12"}).status_code == 428
    changed = api("patch", url, {"quantity": "12"}, **{"If-Match": body["etag"]})
    assert changed.status_code == 200
    assert changed.json()["value"] == "240.00"
    assert api("patch", url, {"quantity": "1"}, **{"If-Match": body["etag"]}).status_code == 412
    archived = api("post", f"{url}/archive", **{"If-Match": changed["ETag"]})
    assert archived.json()["archived"] is True
    assert InKindContribution.objects.get().quantity == Decimal("12.00")


def test_contribution_refuses_mass_assignment_and_foreign_organizations(
    api, other_affiliate, affiliate
):
    base = {
        "donor_name": "X",
        "date": "2024-03-01",
        "category": "catering",
        "value": "5",
        "currency": "EUR",
    }
    for extra, status in [
        ({"value_source": "rate"}, 422),
        ({"archived": True}, 422),
        ({"import_key": "k"}, 422),
    ]:
        response = api(
            "post",
            "/api/v1/contributions",
            {**base, "receiving_organization": affiliate.pk, **extra},
        )
        assert response.status_code == status
        assert response.json()["errors"][0]["path"] == next(iter(extra))
    foreign = api(
        "post", "/api/v1/contributions", {**base, "receiving_organization": other_affiliate.pk}
    )
    assert foreign.status_code == 403
    assert foreign.json()["errors"][0]["path"] == "receiving_organization"
    assert InKindContribution.objects.count() == 0


def test_grant_create_update_and_rates(api, client, affiliate, museum):
    created = api(
        "post",
        "/api/v1/grants",
        {
            "title": "Travel fund",
            "funder": museum.pk,
            "recipient": affiliate.pk,
            "amount": "5000",
            "currency": "EUR",
        },
    )
    assert created.status_code == 201
    grant = Grant.objects.get()
    changed = api(
        "patch",
        f"/api/v1/grants/{grant.pk}",
        {"status": "awarded"},
        **{"If-Match": created["ETag"]},
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["amount"]) == ("awarded", "5000.00")
    rate = make_rate(organization=affiliate)
    assert client.get(f"/api/v1/valuation-rates?organization={affiliate.pk}").json()["items"] == [
        {
            "id": rate.pk,
            "organization": {
                "id": affiliate.pk,
                "name": "Wikimedia Testland",
                "short_code": "WMTL",
            },
            "category": "volunteer_time",
            "unit": "hours",
            "amount": "20.00",
            "currency": "EUR",
            "valid_from": "2020-01-01",
            "valid_to": None,
            "note": "",
        }
    ]


@pytest.mark.parametrize("resource", ["contributions", "grants"])
def test_outsider_walking_ids_sees_no_confidential_record(
    client_for, outsider, affiliate, museum, resource
):
    for confidential in (True, False, True):
        make_contribution(
            receiving_organization=affiliate, donor_organization=museum, confidential=confidential
        )
        make_grant(recipient=affiliate, confidential=confidential)
    model = {"contributions": InKindContribution, "grants": Grant}[resource]
    allowed = set(model.objects.visible_to(outsider).values_list("pk", flat=True))
    assert allowed == set(model.objects.filter(confidential=False).values_list("pk", flat=True))
    client = client_for(outsider)
    top = max(model.objects.values_list("pk", flat=True)) + 3
    seen = {pk for pk in range(1, top) if client.get(f"/api/v1/{resource}/{pk}").status_code == 200}
    assert seen == allowed


def test_contribution_list_walks_every_record_once_with_a_fixed_query_count(
    client_for, viewer, affiliate, museum, registry
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = [
        make_contribution(
            receiving_organization=affiliate,
            partnership=registry["public"] if i % 2 else registry["private"],
            value=Decimal(100 + i % 4),
            description=f"C{i}",
        )
        for i in range(12)
    ]
    client = client_for(viewer)
    client.get("/api/v1/contributions?limit=1")  # the rate limiter's window now exists
    seen, url = [], "/api/v1/contributions?limit=5&sort=-value"
    while url:
        body = client.get(url).json()
        seen += [(item["value"], item["id"]) for item in body["items"]]
        assert all(item["partnership"] is not None for item in body["items"])  # a member
        url = body["next"]
    assert seen == sorted(((f"{c.value:.2f}", c.pk) for c in made), reverse=True)
    counts = []
    for limit in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/contributions?limit={limit}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
