"""The mapping pages and the dashboard read their organization filter by name too."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from hub.directory.factories import OrganizationFactory
from hub.mapping.figures import FilterSet
from hub.partnerships.factories import make_partnership


@pytest.fixture
def museums(affiliate):
    warsaw = OrganizationFactory(name="Muzeum Narodowe w Warszawie", country="PL")
    krakow = OrganizationFactory(name="Muzeum Narodowe w Krakowie", country="PL")
    make_partnership(lead=affiliate, partners=[warsaw], title="Warsaw scans", visibility="public")
    make_partnership(lead=affiliate, partners=[krakow], title="Kraków scans", visibility="public")
    return warsaw, krakow


@pytest.mark.parametrize("url", ["/mapping/", "/dashboard/"])
def test_mapping_pages_offer_the_candidates_of_an_ambiguous_name(url, client, museums):
    text = client.get(url, {"organization": "Muzeum", "compare": "1", "b-organization": "Kraków"})
    page = text.content.decode()
    assert "Organization: Several organizations match “Muzeum”. Which one did you mean?" in page
    links = dict(re.findall(r'<a href="(\?[^"]+)">(Muzeum[^<]+)</a>', page))
    assert len(links) == 2
    # Each link keeps the second set of filters and chooses in the first.
    assert all("b-organization=Krak" in href for href in links)
    assert all("organization=Muzeum+Narodowe" in href for href in links)


def test_mapping_counts_only_the_named_organizations_partnerships(client, museums):
    page = client.get("/mapping/", {"organization": "warszawie"}).content.decode()
    assert 'value="Muzeum Narodowe w Warszawie (Poland)"' in page
    assert "Several organizations" not in page
    assert "/partnerships/?organization=warszawie" in page  # the registry link keeps the text
    named = FilterSet.read(QueryDict("organization=warszawie"))
    assert [p.title for p in named.queryset(AnonymousUser())] == ["Warsaw scans"]
    unknown = FilterSet.read(QueryDict("organization=Wien+Museum"))
    assert not unknown.queryset(AnonymousUser()).exists()
