"""Reading through the API: whole payloads, the pages' filters, cursors, scoping, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.directory.factories import OrganizationFactory
from hub.directory.models import AllianceMembership, Organization, Person
from hub.partnerships.factories import make_partnership
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.models import Partnership, WikimediaProject
from hub.partnerships.views import list_queryset


def _titles(response):
    return [item["title"] for item in response.json()["items"]]


def test_partnership_detail_payload_is_complete(client, affiliate, museum):
    commons = WikimediaProject.objects.get_or_create(code="commons", name="Wikimedia Commons")[0]
    p = make_partnership(
        lead=affiliate,
        partners=[museum],
        title="Museum uploads",
        goals=["content", "advocacy"],
        description="Photos of the collection.",
        start_date=datetime.date(2016, 3, 1),
        scope="national",
        projects=[commons],
        links=[("Project page", "https://meta.wikimedia.org/wiki/Museum")],
    )
    response = client.get(f"/api/v1/partnerships/{p.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"{p.pk}-1"'
    body = response.json()
    assert body == {
        "id": p.pk,
        "title": "Museum uploads",
        "description": "Photos of the collection.",
        "lead": {"id": affiliate.pk, "name": "Wikimedia Testland", "short_code": "WMTL"},
        "participants": [
            {
                "organization": {
                    "id": affiliate.pk,
                    "name": "Wikimedia Testland",
                    "short_code": "WMTL",
                },
                "kind": "chapter",
                "role": "lead",
            },
            {
                "organization": {"id": museum.pk, "name": "Testland Museum", "short_code": None},
                "kind": "museum",
                "role": "partner",
            },
        ],
        "goals": ["content", "advocacy"],
        "structure": "simple",
        "direction": "external",
        "direction_override": "",
        "direction_override_reason": "",
        "status": "active",
        "scope": "national",
        "start_date": "2016-03-01",
        "end_date": None,
        "end_reason": "",
        "visibility": "public",
        "projects": ["commons"],
        "themes": [],
        "links": [{"label": "Project page", "url": "https://meta.wikimedia.org/wiki/Museum"}],
        "version": 1,
        "etag": f'"{p.pk}-1"',
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "url": f"http://testserver/partnerships/{p.pk}/",
    }
    assert body["created_at"].startswith(p.created_at.date().isoformat())


def test_organization_list_payload(client, museum):
    hub_org = OrganizationFactory(name="Alpha Hub", kind=Organization.Kind.HUB, country="DE")
    response = client.get("/api/v1/organizations?country=DE")
    assert response.json() == {
        "items": [
            {
                "id": hub_org.pk,
                "name": "Alpha Hub",
                "local_name": "",
                "short_code": None,
                "kind": "hub",
                "movement": True,
                "status": "active",
                "country": "DE",
                "city": "",
                "recognized_on": "",
                "website": "",
                "wikidata_id": "",
                "wikidata_labels": {},
                "ror_id": "",
                "isil": "",
                "viaf_id": "",
                "description": "",
                "url": f"http://testserver/organizations/{hub_org.pk}/",
            }
        ],
        "next": None,
        "notices": [],
    }


def test_alliance_detail_lists_members(client, affiliate):
    alliance = OrganizationFactory(name="Test Hub", kind=Organization.Kind.HUB)
    AllianceMembership.objects.create(
        alliance=alliance, member=affiliate, role="steering", since=datetime.date(2020, 1, 1)
    )
    body = client.get(f"/api/v1/alliances/{alliance.pk}").json()
    assert body["members"] == [
        {
            "organization": {
                "id": affiliate.pk,
                "name": "Wikimedia Testland",
                "short_code": "WMTL",
            },
            "role": "steering",
            "since": "2020-01-01",
            "until": None,
        }
    ]
    assert client.get(f"/api/v1/alliances/{affiliate.pk}").status_code == 404


def test_anonymous_sees_only_public_partnerships(client, registry):
    assert _titles(client.get("/api/v1/partnerships")) == ["Public one"]


def test_members_see_what_the_pages_show(client_for, registry, viewer, outsider, staff):
    for user, expected in [
        (viewer, {"Public one", "Movement one", "Private one"}),
        (outsider, {"Public one", "Movement one", "Their private"}),
        (staff, {"Public one", "Movement one", "Private one", "Their private"}),
    ]:
        assert set(_titles(client_for(user).get("/api/v1/partnerships"))) == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "goal=content&goal=funding&goal_match=all",
        "goal=advocacy",
        "status=active&status=completed",
        "scope=national",
        "structure=complex",
        "direction=internal",
        "q=museum",
        "year_from=2015&year_to=2016",
        "country=FR",
        "visibility=movement",
        "sort=title",
        "sort=start",
        "sort=-updated",
        "year_from=notayear&status=bogus",
        "started=2016",
        "partner_kind=museum",
    ],
)
def test_filters_agree_with_the_registry_page(client_for, viewer, affiliate, museum, query):
    from django.http import QueryDict

    french = OrganizationFactory(name="Musée", country="FR")
    specs = [
        {
            "goals": ["content", "funding"],
            "status": "active",
            "start_date": datetime.date(2016, 1, 1),
        },
        {"goals": ["advocacy"], "status": "completed", "scope": "national", "structure": "complex"},
        {"goals": ["content"], "visibility": "movement", "start_date": datetime.date(2014, 5, 1)},
        {
            "goals": ["funding"],
            "description": "A museum fund",
            "start_date": datetime.date(2019, 1, 1),
        },
    ]
    for index, spec in enumerate(specs):
        make_partnership(lead=affiliate, partners=[museum], title=f"P{index}", **spec)
    make_partnership(
        lead=affiliate,
        partners=[french],
        title="French",
        direction_override="internal",
        direction_override_reason="Test",
    )
    page = list(list_queryset(viewer, PartnershipFilter(QueryDict(query))))
    body = client_for(viewer).get(f"/api/v1/partnerships?{query}").json()
    assert [item["id"] for item in body["items"]] == [p.pk for p in page]
    assert body["notices"] == [str(n) for n in PartnershipFilter(QueryDict(query)).notices]


@pytest.mark.parametrize("sort", ["-start", "start", "title", "-updated"])
def test_cursor_walks_every_record_once_in_page_order(client, affiliate, museum, sort):
    for index in range(13):
        make_partnership(
            lead=affiliate,
            partners=[museum],
            title=f"Same title {index % 3}",
            start_date=None if index % 4 == 0 else datetime.date(2010 + index % 5, 1, 1),
        )
    expected = [
        p.pk
        for p in Partnership.objects.filter(visibility="public").order_by(
            *PartnershipFilter({"sort": sort}).ordering()
        )
    ]
    seen = []
    url = f"/api/v1/partnerships?sort={sort}&limit=4"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
        pages += 1
    assert seen == expected
    assert pages == 4


def test_unreadable_cursor_starts_again_with_a_notice(client, registry):
    body = client.get("/api/v1/partnerships?cursor=not-a-cursor").json()
    assert [item["title"] for item in body["items"]] == ["Public one"]
    assert body["notices"] == ["Ignored the cursor: it is not valid; this is the first page."]


def test_list_query_count_does_not_grow_with_page_size(client_for, viewer, affiliate, museum):
    themes_and_more = {"themes": [], "links": [("Link", "https://example.org")]}
    for index in range(30):
        make_partnership(
            lead=affiliate,
            partners=[museum, OrganizationFactory()],
            title=f"P{index}",
            **themes_and_more,
        )
    client = client_for(viewer)
    client.get("/api/v1/partnerships?limit=1")  # the rate limiter's window now exists
    counts = []
    for limit in (2, 30):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/partnerships?limit={limit}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_people_are_never_public(client, client_for, affiliate, viewer, outsider, museum):
    person = Person.objects.create(
        organization=museum, steward=affiliate, name="Ada", consent_note="By e-mail"
    )
    assert client.get("/api/v1/people").json()["items"] == []
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
    assert client_for(outsider).get(f"/api/v1/people/{person.pk}").status_code == 404
    assert client_for(viewer).get(f"/api/v1/people/{person.pk}").json() == {
        "id": person.pk,
        "name": "Ada",
        "role": "",
        "email": "",
        "phone": "",
        "organization": {"id": museum.pk, "name": "Testland Museum", "short_code": None},
        "steward": {"id": affiliate.pk, "name": "Wikimedia Testland", "short_code": "WMTL"},
        "consent_note": "By e-mail",
        "archived": False,
    }


@pytest.mark.parametrize("resource", ["partnerships", "people", "organizations", "alliances"])
def test_outsider_walking_ids_sees_nothing_hidden(
    client_for, registry, outsider, affiliate, resource
):
    """Walk ids from 1 upward as an outsider: every answer is a record they may see, or 404."""
    Person.objects.create(
        organization=affiliate, steward=affiliate, name="Hidden", consent_note="x"
    )
    client = client_for(outsider)
    allowed = {
        "partnerships": set(Partnership.objects.visible_to(outsider).values_list("pk", flat=True)),
        "people": set(Person.objects.visible_to(outsider).values_list("pk", flat=True)),
        "organizations": set(Organization.objects.values_list("pk", flat=True)),
        "alliances": set(Organization.objects.alliances().values_list("pk", flat=True)),
    }[resource]
    top = (
        max(
            [
                *Partnership.objects.values_list("pk", flat=True),
                *Person.objects.values_list("pk", flat=True),
                *Organization.objects.values_list("pk", flat=True),
            ]
        )
        + 3
    )
    seen = set()
    for pk in range(1, top):
        response = client.get(f"/api/v1/{resource}/{pk}")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            seen.add(pk)
        else:
            assert response.json()["type"] == "/api/v1/problems/not-found"
    assert seen == allowed
    assert registry["private"].pk not in seen or resource != "partnerships"
