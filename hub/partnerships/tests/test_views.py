import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.models import AllianceMembership, Organization
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
LIST = reverse("partnerships:list")


def titles(response) -> list[str]:
    return sorted(p.title for p in response.context["page"].object_list)


@pytest.fixture
def registry(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Louvre-like Museum", country="FR")
    school = OrganizationFactory(name="School", kind="school", country="AT")
    hub = OrganizationFactory(name="A Hub", kind=Organization.Kind.HUB)
    AllianceMembership.objects.create(alliance=hub, member=other_affiliate)
    return {
        "content": make_partnership(
            lead=affiliate,
            partners=[museum],
            title="Content only",
            goals=["content"],
            start_date=datetime.date(2016, 3, 1),
            end_date=datetime.date(2017, 1, 1),
        ),
        "both": make_partnership(
            lead=affiliate,
            partners=[school],
            title="Content and funding",
            goals=["content", "funding"],
            structure="complex",
            start_date=datetime.date(2020, 1, 1),
        ),
        "other": make_partnership(
            lead=other_affiliate,
            partners=[museum],
            title="Advocacy abroad",
            goals=["advocacy"],
            status="completed",
            start_date=datetime.date(2019, 1, 1),
        ),
        "private": make_partnership(
            lead=affiliate,
            partners=[school],
            title="Secret deal",
            goals=["funding"],
            visibility="private",
        ),
        "hub": hub,
        "museum": museum,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"goal": "content"}, ["Content and funding", "Content only"]),
        ({"goal": ["content", "funding"], "goal_match": "all"}, ["Content and funding"]),
        ({"goal": "content", "goal_match": "exact"}, ["Content only"]),
        ({"structure": "complex"}, ["Content and funding"]),
        ({"status": "completed"}, ["Advocacy abroad"]),
        ({"country": "FR"}, ["Advocacy abroad", "Content only"]),
        ({"year_from": 2016, "year_to": 2016}, ["Content only"]),
        ({"year_from": 2019}, ["Advocacy abroad", "Content and funding"]),
        ({"q": "abroad"}, ["Advocacy abroad"]),
        ({"theme": "none-such"}, []),
    ],
)
def test_list_filters(client, registry, query, expected):
    assert titles(client.get(LIST, query)) == expected


def test_organization_and_alliance_filters(client, registry, other_affiliate):
    museum = registry["museum"]
    assert titles(client.get(LIST, {"organization": museum.pk})) == [
        "Advocacy abroad",
        "Content only",
    ]
    hub = registry["hub"]
    assert titles(client.get(LIST, {"alliance": hub.pk})) == ["Advocacy abroad"]
    assert titles(client.get(LIST, {"organization": hub.pk, "members": "on"})) == [
        "Advocacy abroad"
    ]
    assert titles(client.get(LIST, {"organization": hub.pk})) == []


def test_malformed_filters_are_ignored_with_a_notice(client, registry):
    response = client.get(LIST, {"status": "bogus", "year_from": "abc", "goal": "content"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ignored the filter “Status”" in text
    assert "Ignored the filter “Active from year”" in text
    assert titles(response) == ["Content and funding", "Content only"]


def test_private_partnerships_are_hidden_from_outsiders(client_for, registry, outsider, viewer):
    assert "Secret deal" not in titles(client_for(None).get(LIST))
    assert "Secret deal" not in titles(client_for(outsider).get(LIST))
    assert "Secret deal" in titles(client_for(viewer).get(LIST))
    url = reverse("partnerships:detail", args=[registry["private"].pk])
    for user in (None, outsider):
        response = client_for(user).get(url)
        assert response.status_code == 404
        assert b"Secret deal" not in response.content


def test_movement_visibility_needs_sign_in(client_for, affiliate, outsider):
    partnership = make_partnership(lead=affiliate, title="Members only", visibility="movement")
    url = reverse("partnerships:detail", args=[partnership.pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 200


def test_sorting_and_pagination_keep_the_filters(client, settings, affiliate):
    settings.PAGE_SIZE = 2
    for year in range(2010, 2015):
        make_partnership(lead=affiliate, title=f"P{year}", start_date=datetime.date(year, 1, 1))
    response = client.get(LIST, {"sort": "start", "goal": "content"})
    assert [p.title for p in response.context["page"].object_list] == ["P2010", "P2011"]
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', response.content.decode()).group(1)
    assert "goal=content" in next_link
    assert "sort=start" in next_link
    page2 = client.get(LIST + next_link.replace("&amp;", "&"))
    assert [p.title for p in page2.context["page"].object_list] == ["P2012", "P2013"]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", [None, "viewer"])
def test_list_query_count_does_not_grow_with_page_size(
    client_for, request, settings, affiliate, persona
):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    for n in range(3):
        make_partnership(
            lead=affiliate, title=f"A{n}", partners=[OrganizationFactory(), AffiliateFactory()]
        )
    settings.PAGE_SIZE = 3
    few = _queries(client, LIST, {"goal": "content"})
    for n in range(30):
        make_partnership(
            lead=affiliate, title=f"B{n}", partners=[OrganizationFactory(), OrganizationFactory()]
        )
    settings.PAGE_SIZE = 30
    many = _queries(client, LIST, {"goal": "content"})
    assert few == many
    assert many <= 8


def test_directory_query_count_does_not_grow_with_page_size(client, settings):
    OrganizationFactory.create_batch(3)
    settings.PAGE_SIZE = 3
    few = _queries(client, reverse("directory:list"))
    OrganizationFactory.create_batch(30)
    settings.PAGE_SIZE = 30
    assert _queries(client, reverse("directory:list")) == few


def _form_data(lead, partners, **overrides):
    data = {
        "title": "Scans of glass plates",
        "lead": f"#{lead.pk}",
        "goals": ["content"],
        "structure": "simple",
        "status": "active",
        "scope": "national",
        "visibility": "public",
        "participants-TOTAL_FORMS": str(len(partners) + 1),
        "participants-INITIAL_FORMS": "0",
        "start_date": "2024-02-01",
    }
    for i, org in enumerate(partners):
        data[f"participants-{i}-organization"] = (
            org if isinstance(org, str) else f"{org.name} #{org.pk}"
        )
        data[f"participants-{i}-role"] = "partner"
    data[f"participants-{len(partners)}-organization"] = ""
    data[f"participants-{len(partners)}-role"] = "partner"
    data.update(overrides)
    return data


def test_create_with_two_participants(client_for, editor, affiliate):
    museum, archive = (
        OrganizationFactory(name="Museum"),
        OrganizationFactory(name="City Archive", kind="archive"),
    )
    response = client_for(editor).post(
        reverse("partnerships:create"), _form_data(affiliate, [museum, "city archive"])
    )
    partnership = Partnership.objects.get(title="Scans of glass plates")
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    assert set(partnership.participants.values_list("organization_id", flat=True)) == {
        affiliate.pk,
        museum.pk,
        archive.pk,
    }


def test_form_errors_name_their_fields_and_store_nothing(client_for, editor, affiliate):
    data = _form_data(affiliate, ["No Such Museum"], goals=[], end_date="2020-01-01", title="")
    response = client_for(editor).post(reverse("partnerships:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"title", "goals", "end_date"}
    formset = response.context["formset"]
    assert formset.forms[0].errors["organization"] == [
        "No organization matches “No Such Museum”. Check the spelling, or add it below under "
        "“Add a new organization”."
    ]
    assert not Partnership.objects.exists()


def test_editor_cannot_lead_for_an_organization_they_do_not_edit_for(
    client_for, editor, other_affiliate
):
    response = client_for(editor).post(
        reverse("partnerships:create"), _form_data(other_affiliate, [OrganizationFactory()])
    )
    assert response.status_code == 200
    assert "lead" in response.context["form"].errors
    assert not Partnership.objects.exists()


def test_form_says_who_already_works_with_the_organization(
    client_for, editor, affiliate, other_affiliate
):
    museum = OrganizationFactory(name="Popular Museum")
    make_partnership(lead=other_affiliate, partners=[museum], title="Earlier")
    response = client_for(editor).get(reverse("partnerships:create"), {"with": museum.pk})
    text = response.content.decode()
    assert "Who already works with Popular Museum" in text
    assert other_affiliate.get_absolute_url() in text
    fragment = client_for(editor).get(
        reverse("partnerships:who_works_with"), {"participants-0-organization": f"#{museum.pk}"}
    )
    assert "Wikimedia Otherland" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_who_works_with_does_not_leak_private_partnerships(client_for, outsider, affiliate):
    museum = OrganizationFactory(name="Discreet Museum")
    make_partnership(lead=affiliate, partners=[museum], visibility="private")
    fragment = client_for(outsider).get(
        reverse("partnerships:who_works_with"), {"organization": f"#{museum.pk}"}
    )
    assert "Wikimedia Testland" not in fragment.content.decode()


def test_stale_edit_is_refused_and_nothing_is_overwritten(client_for, editor, manager, affiliate):
    museum = OrganizationFactory(name="Museum")
    partnership = make_partnership(
        actor=editor, lead=affiliate, partners=[museum], title="Original"
    )
    url = reverse("partnerships:edit", args=[partnership.pk])
    stale = _form_data(affiliate, [museum], title="Editor's title", version="1")
    client_for(manager).post(
        url, _form_data(affiliate, [museum], title="Manager's title", version="1")
    )
    response = client_for(editor).post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this partnership" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.title == "Manager's title"


def test_end_through_the_page(client_for, editor, affiliate):
    partnership = make_partnership(lead=affiliate)
    response = client_for(editor).post(
        reverse("partnerships:end", args=[partnership.pk]),
        {"status": "completed", "end_date": "2025-12-31", "reason": "Done", "version": "1"},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "completed"
    assert client_for(None).get(partnership.get_absolute_url()).status_code == 200


def test_htmx_list_request_returns_only_the_results(client, registry):
    response = client.get(
        LIST, {"goal": "content"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="results"')
    assert "Content only" in text
    assert "<html" not in text


def test_organization_options_suggest_matches(client, registry):
    response = client.get(reverse("partnerships:organization_options"), {"q": "louvre"})
    assert response.content.decode() == '<option value="Louvre-like Museum (France)"></option>'


def test_history_page_shows_participant_changes(client_for, editor, affiliate):
    from hub.partnerships import services

    museum, school = OrganizationFactory(name="Museum"), OrganizationFactory(name="Village School")
    partnership = make_partnership(actor=editor, lead=affiliate, partners=[museum])
    services.partnership_update(
        actor=editor, partnership=partnership, participants=[services.ParticipantSpec(school)]
    )
    response = client_for(editor).get(reverse("partnerships:history", args=[partnership.pk]))
    text = response.content.decode()
    assert "<del>Museum (Partner)</del>" in text
    assert "<ins>Village School (Partner)</ins>" in text
