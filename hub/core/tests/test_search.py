"""The one search: what each persona finds, the filters and facets, the index kept current by the
services that write, and the page. Run outside a transaction: MariaDB's FULLTEXT index sees only
committed rows."""

import pytest
from django.db import transaction
from django.urls import reverse

from hub.accounts.system import system_actor
from hub.core import search
from hub.core.search import terms
from hub.core.search.models import SearchEntry
from hub.core.search.query import Filters
from hub.core.search.query import search as run
from hub.directory import services as directory_services
from hub.directory.bulk import organization_create_many
from hub.directory.factories import OrganizationFactory
from hub.partnerships import services
from hub.partnerships.bulk import PartnershipRow, partnership_create_many
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

from .test_search_terms import HOSTILE

pytestmark = pytest.mark.django_db(transaction=True)


def found(user, text, **filters):
    return run(user, terms.parse(text), Filters(**filters))


def titles(results):
    return sorted(hit.plain_title for hit in results.hits)


@pytest.fixture
def records(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Cobalt Museum", local_name="Kobaltmuseum")
    search.index(museum)
    return {
        "museum": museum,
        "public": make_partnership(
            lead=affiliate, partners=[museum], title="Public cobalt scans", visibility="public"
        ),
        "movement": make_partnership(
            lead=affiliate,
            partners=[museum],
            title="Movement indigo",
            description="Cobalt glaze photographs",
            visibility="movement",
        ),
        "private": make_partnership(
            lead=affiliate,
            partners=[museum],
            title="Private cobalt plans",
            description="Secret amber budget",
            visibility="private",
        ),
        "other": make_partnership(
            lead=other_affiliate, title="Otherland amber", visibility="private"
        ),
    }


def test_each_persona_finds_only_what_they_may_see(records, anonymous, viewer, outsider, staff):
    assert titles(found(anonymous, "cobalt", kind="partnership")) == ["Public cobalt scans"]
    assert titles(found(outsider, "cobalt", kind="partnership")) == [
        "Movement indigo",
        "Public cobalt scans",
    ]
    assert titles(found(viewer, "cobalt", kind="partnership")) == [
        "Movement indigo",
        "Private cobalt plans",
        "Public cobalt scans",
    ]
    assert titles(found(staff, "amber")) == ["Otherland amber", "Private cobalt plans"]
    # Counts and facets count nothing unseen either.
    assert found(anonymous, "amber").total == 0
    assert found(anonymous, "amber").kinds == {}
    other = records["other"]
    assert (other.lead_id, "Wikimedia Otherland", 1) in found(outsider, "amber").organizations
    assert all(count == 1 for _pk, _name, count in found(outsider, "amber").organizations)
    assert found(anonymous, "cobalt").kinds == {"partnership": 1, "organization": 1}


def test_results_are_grouped_filtered_and_snippets_marked(records, viewer):
    everything = found(viewer, "cobalt")
    assert everything.kinds == {"partnership": 3, "organization": 1}
    assert everything.total == 4
    museum = records["museum"]
    assert (museum.pk, "Cobalt Museum", 4) in everything.organizations
    only = found(viewer, "cobalt", kind="organization")
    assert only.total == 1
    assert only.kinds == {"partnership": 3, "organization": 1}  # the other kinds stay counted
    hit = only.hits[0]
    assert hit.url == reverse("directory:organization", args=[museum.pk])
    assert str(hit.title) == "<mark>Cobalt</mark> Museum"
    movement = found(viewer, "glaze").hits[0]
    assert str(movement.snippet).startswith("<mark>Cobalt</mark> glaze") is False
    assert "<mark>glaze</mark>" in str(movement.snippet)
    by_org = found(viewer, "cobalt", organization=records["other"].lead_id)
    assert by_org.total == 0
    assert found(viewer, "cobalt", language="de").total == 0
    assert found(viewer, "cobalt", language="").total == 4
    assert found(viewer, "cobalt", kind="nonsense").total == 0


def test_prefix_and_several_words(records, viewer):
    assert titles(found(viewer, "cob", kind="partnership")) == [
        "Movement indigo",
        "Private cobalt plans",
        "Public cobalt scans",
    ]
    assert titles(found(viewer, "cobalt plans")) == ["Private cobalt plans"]
    assert titles(found(viewer, "cobalt pla ")) == []  # a finished word is not a prefix
    assert titles(found(viewer, "kobaltmuseum")) == [
        "Cobalt Museum",
        "Movement indigo",
        "Private cobalt plans",
        "Public cobalt scans",
    ]


def test_the_services_keep_the_index_current(records, affiliate, staff, editor):
    public = records["public"]
    services.partnership_update(actor=editor, partnership=public, title="Public saffron scans")
    assert titles(found(staff, "saffron")) == ["Public saffron scans"]
    # (still found by "cobalt": its partner is the Cobalt Museum)
    assert "Public saffron scans" in titles(found(staff, "cobalt museum", kind="partnership"))
    assert SearchEntry.objects.get(kind="partnership", object_id=public.pk).title == (
        "Public saffron scans"
    )
    # A partner renamed is found under its new name in the partnerships it takes part in.
    museum = records["museum"]
    directory_services.organization_update(actor=staff, organization=museum, name="Vermilion Hall")
    assert titles(found(staff, "vermilion")) == [
        "Movement indigo",
        "Private cobalt plans",
        "Public saffron scans",
        "Vermilion Hall",
    ]
    # A merged duplicate's entry goes; the partnerships that named it name the one kept.
    twin = OrganizationFactory(name="Viridian Twin")
    search.index(twin)
    named = make_partnership(lead=affiliate, partners=[twin], title="Twin partnership")
    directory_services.organization_merge(actor=staff, keep=museum, merged=twin)
    assert titles(found(staff, "viridian")) == []
    assert "Twin partnership" in titles(found(staff, "vermilion"))
    assert SearchEntry.objects.filter(kind="organization", object_id=twin.pk).count() == 0
    services.partnership_end(actor=editor, partnership=named, status="completed")
    assert titles(found(staff, "twin")) == ["Twin partnership"]


def test_bulk_writes_are_indexed(affiliate, staff):
    with transaction.atomic():
        [teal] = organization_create_many(
            actor=staff, rows=[{"name": "Teal Library", "kind": "library", "country": "AT"}]
        )
        partnership_create_many(
            actor=staff,
            rows=[
                PartnershipRow(
                    title=f"Teal scans {n}",
                    lead=affiliate,
                    participants=(services.ParticipantSpec(teal),),
                    goals=frozenset({"content"}),
                    themes=("Ochre maps",),
                )
                for n in range(3)
            ],
        )
    assert found(staff, "teal").kinds == {"organization": 1, "partnership": 3}
    assert found(staff, "ochre").total == 3


def test_rebuild_makes_the_same_index(records, staff):
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "title", "body"))
    SearchEntry.objects.all().delete()
    OrganizationFactory(name="Unindexed Umber")  # made without the services
    counts = search.rebuild()
    after = sorted(SearchEntry.objects.values_list("kind", "object_id", "title", "body"))
    assert set(before) <= set(after)
    assert counts["partnership"] == Partnership.objects.count()
    assert titles(found(staff, "umber")) == ["Unindexed Umber"]
    assert titles(found(staff, "amber")) == ["Otherland amber", "Private cobalt plans"]


def test_a_deleted_record_is_never_found(records, staff):
    # Even with its entry left behind (deleted in the admin), the permission join drops it.
    Partnership.objects.filter(pk=records["other"].pk).delete()
    assert titles(found(staff, "otherland")) == []


def test_hostile_queries_answer_a_page(records, client, viewer):
    client.force_login(viewer)
    url = reverse("search:search")
    for text in HOSTILE:
        for params in (
            {"q": text},
            {"q": text, "kind": text, "language": text, "organization": text, "page": text},
        ):
            response = client.get(url, params)
            assert response.status_code == 200, text
    for page in ("0", "-1", "99999999999999999999", "1e9", "٣"):
        assert client.get(url, {"q": "cobalt", "page": page}).status_code == 200


def test_the_page_shows_groups_counts_and_marks(records, client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("search:search"), {"q": "cobalt"}).content.decode()
    assert "4 results" in html
    assert "<mark>cobalt</mark> plans" in html
    assert 'id="group-partnership"' in html
    assert 'id="group-organization"' in html
    assert f'href="{reverse("partnerships:detail", args=[records["private"].pk])}"' in html
    client.logout()
    html = client.get(reverse("search:search"), {"q": "cobalt private"}).content.decode()
    assert "Private cobalt plans" not in html
    assert "Nothing you may see holds" in html


def test_the_header_box_searches_without_javascript(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search:search")}"' in html
    assert 'name="q"' in html


def test_pagination(affiliate, staff, client):
    for n in range(25):
        make_partnership(lead=affiliate, title=f"Sepia {n}")
    first = run(staff, terms.parse("sepia"), per_page=20)
    second = run(staff, terms.parse("sepia"), page=2, per_page=20)
    assert (len(first.hits), len(second.hits), first.pages) == (20, 5, 2)
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}
    client.force_login(staff)
    html = client.get(reverse("search:search"), {"q": "sepia", "page": "9"}).content.decode()
    assert "Page 2 of 2" in html


def test_search_rebuild_command(records, capsys):
    from django.core.management import call_command

    call_command("search_rebuild")
    assert "partnership: 4 entries" in capsys.readouterr().out
    with pytest.raises(Exception, match="Unknown kinds"):
        call_command("search_rebuild", "nonsense")
    assert system_actor()


def test_the_api_answers_the_same_search(records, client, viewer):
    url = reverse("api:search")
    client.force_login(viewer)
    body = client.get(url, {"q": "cobalt", "limit": 2}).json()
    assert body["total"] == 4
    assert body["pages"] == 2
    counted = {k["kind"]: k["count"] for k in body["kinds"] if k["count"]}
    assert counted == {"partnership": 3, "organization": 1}
    assert len(body["items"]) == 2
    assert body["next"].endswith("page=2")
    page_two = client.get(body["next"]).json()
    seen = {(i["kind"], i["id"]) for i in body["items"] + page_two["items"]}
    page = found(viewer, "cobalt")
    assert seen == {(h.kind, h.object_id) for h in page.hits}
    private = next(
        i for i in body["items"] + page_two["items"] if i["title"] == "Private cobalt plans"
    )
    assert private["title_html"] == "Private <mark>cobalt</mark> plans"
    assert private["url"] == "http://testserver" + reverse(
        "partnerships:detail", args=[records["private"].pk]
    )
    client.logout()
    anonymous = client.get(url, {"q": "cobalt", "kind": "partnership"}).json()
    assert [i["title"] for i in anonymous["items"]] == ["Public cobalt scans"]
    assert client.get(url, {"q": "cobalt", "kind": "nonsense"}).status_code == 422
    for text in HOSTILE[:30]:
        assert client.get(url, {"q": text[:2000]}).status_code == 200, text


def test_the_language_facet_shows_only_stated_languages(records, client, viewer):
    SearchEntry.objects.filter(object_id=records["public"].pk, kind="partnership").update(
        language="de"
    )
    client.force_login(viewer)
    response = client.get(reverse("search:search"), {"q": "cobalt"})
    assert [(f["code"], f["count"]) for f in response.context["language_facets"]] == [
        ("", 3),
        ("de", 1),
    ]
    assert "German (1)" in response.content.decode()
    assert found(viewer, "cobalt", language="de").total == 1
