"""Reads behind the organization page, the text search and the theme filter."""

import pytest
from django.db import connection
from django.urls import reverse

from hub.core.models import Visibility
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships.factories import make_partnership
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.models import Partnership, Theme
from hub.partnerships.selectors import affiliates_working_with
from hub.partnerships.services import ParticipantSpec

pytestmark = pytest.mark.django_db
LIST = reverse("partnerships:list")


@pytest.fixture
def museum(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Museum")
    third = AffiliateFactory(name="Wikimedia Thirdland")
    library = OrganizationFactory(name="Library")
    make_partnership(lead=affiliate, partners=[museum], title="One")
    make_partnership(lead=affiliate, partners=[museum, library], title="Two")
    make_partnership(lead=other_affiliate, partners=[museum], title="Three")
    make_partnership(lead=third, partners=[museum], title="Secret", visibility="private")
    make_partnership(lead=third, partners=[library], title="Elsewhere")
    return museum


def _shared(user, organization) -> list[tuple[str, int]]:
    return [(o.name, o.shared) for o in affiliates_working_with(user, organization)]  # type: ignore[attr-defined]


def test_affiliates_working_with_counts_shared_partnerships_the_viewer_may_see(museum, anonymous):
    # most shared first; external organizations and the organization itself never appear
    assert _shared(anonymous, museum) == [("Wikimedia Testland", 2), ("Wikimedia Otherland", 1)]


def test_affiliates_working_with_counts_private_ones_only_for_their_members(museum, staff):
    assert _shared(staff, museum) == [
        ("Wikimedia Testland", 2),
        ("Wikimedia Otherland", 1),
        ("Wikimedia Thirdland", 1),
    ]


def test_affiliates_working_with_counts_each_partnership_once_per_role(affiliate, anonymous):
    museum = OrganizationFactory(name="Museum")
    partner = AffiliateFactory(name="Wikimedia Partnerland")
    make_partnership(lead=affiliate, partners=[museum, ParticipantSpec(partner, "funder")])
    make_partnership(lead=partner, partners=[museum])
    assert _shared(anonymous, museum) == [("Wikimedia Partnerland", 2), ("Wikimedia Testland", 1)]


def test_organization_page_counts_match_the_partnerships_listed(client_for, museum, viewer):
    url = reverse("directory:organization", args=[museum.pk])
    anonymous_page = client_for(None).get(url)
    assert anonymous_page.context["page"].paginator.count == 3
    assert sum(c["n"] for c in anonymous_page.context["counts"]) == 3
    assert "Secret" not in anonymous_page.content.decode()
    assert client_for(viewer).get(url).context["page"].paginator.count == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("glass", ["Glass plates", "Scanning"]),
        ("GLASS", ["Glass plates", "Scanning"]),
        ("Zü", ["Zürich archive"]),
        ("Музей", ["Музей истории"]),
        ("博物", ["博物館"]),
        ("a", ["100% scans", "Glass plates", "Scanning", "Zürich archive", "snake_case"]),
        ("%", ["100% scans"]),
        ("_", ["snake_case"]),
        ("nowhere", []),
    ],
)
def test_text_search_matches_parts_of_titles_and_descriptions(client, affiliate, text, expected):
    # Case folding beyond ASCII differs by database (SQLite folds ASCII only), so it is not pinned.
    make_partnership(lead=affiliate, title="Glass plates")
    make_partnership(lead=affiliate, title="Scanning", description="Old glass negatives")
    make_partnership(lead=affiliate, title="Zürich archive")
    make_partnership(lead=affiliate, title="Музей истории")
    make_partnership(lead=affiliate, title="博物館")
    make_partnership(lead=affiliate, title="100% scans")
    make_partnership(lead=affiliate, title="snake_case")
    make_partnership(lead=affiliate, title="Hidden glass", visibility="private")
    response = client.get(LIST, {"q": text})
    assert sorted(p.title for p in response.context["page"].object_list) == sorted(expected)


def test_theme_and_project_filters_match_by_slug_and_code(affiliate):
    wanted = make_partnership(lead=affiliate, title="Folk songs")
    other = make_partnership(lead=affiliate, title="Maps")
    theme = Theme.objects.create(name="Folk music", slug="folk-music")
    Theme.objects.create(name="Maps", slug="maps")
    wanted.themes.add(theme)
    other.themes.add(Theme.objects.get(slug="maps"))

    def found(**data) -> list[str]:
        return sorted(
            PartnershipFilter(data).apply(Partnership.objects.all()).values_list("title", flat=True)
        )

    assert found(theme="folk-music") == ["Folk songs"]
    assert found(theme="no-such-theme") == []
    assert found(project="no-such-project") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL only")
def test_text_search_has_trigram_indexes_on_postgresql():
    indexes = connection.introspection.get_constraints(
        connection.cursor(), Partnership._meta.db_table
    )
    assert {"partnership_title_trgm", "partnership_description_trgm"} <= set(indexes)


def test_choice_labels_are_shown_and_unknown_values_pass_through():
    from hub.directory.models import Organization

    assert Partnership(status="ended_early").get_status_display() == "Ended early"
    assert Partnership(visibility="movement").get_visibility_display() == str(
        Visibility.MOVEMENT.label
    )
    assert Partnership(status="archived-by-hand").get_status_display() == "archived-by-hand"
    assert Organization(kind="museum").get_kind_display() == str(Organization.Kind.MUSEUM.label)
