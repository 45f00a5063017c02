"""Normalizing organization names and matching them to the directory (hub/directory/matching.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.matching import (
    OrganizationIndex,
    likely_duplicates,
    match_organization,
    name_key,
    normalize_name,
    website_key,
    wikidata_key,
)

NAMES = st.text(min_size=0, max_size=40)
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10).filter(
    lambda w: w not in {"the", "die", "der", "das", "les", "los", "las", "ltd", "inc", "llc"}
)


@given(NAMES)
def test_normalization_is_idempotent(name):
    once = normalize_name(name)
    assert normalize_name(once) == once
    assert name_key(once) == name_key(name)


@st.composite
def spelling_variant(draw):
    words = draw(st.lists(WORD, min_size=1, max_size=4))
    name = " ".join(words)
    variant = " ".join(w.upper() if draw(st.booleans()) else w.capitalize() for w in words)
    accents = {"a": "á", "e": "é", "o": "ö", "u": "ü", "c": "ç", "n": "ñ"}
    if draw(st.booleans()):
        variant = "".join(accents.get(c, c) for c in variant)
    variant = draw(st.sampled_from(["", " ", "  "])) + variant.replace(
        " ", draw(st.sampled_from([" ", "  ", " \t "]))
    )
    if draw(st.booleans()):
        variant = draw(st.sampled_from(["The ", "the ", "Die ", "La ", "L'", "El "])) + variant
    if draw(st.booleans()):
        variant += draw(st.sampled_from([" e.V.", " eV", " gGmbH", ", GmbH", " Ltd.", ", Inc."]))
    return name, variant


@given(spelling_variant())
def test_spelling_variants_have_one_normal_form(pair):
    name, variant = pair
    assert normalize_name(variant) == normalize_name(name)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=spelling_variant())
def test_a_spelling_variant_matches_its_directory_name(pair):
    name, variant = pair
    organization = OrganizationFactory(name=name.title())
    try:
        index = OrganizationIndex.build()
        match = index.match(name=variant)
        # Another organization may share the name by chance (hypothesis reuses words).
        assert match.organization == organization or organization in match.candidates
    finally:
        organization.delete()


def test_the_named_rules():
    assert normalize_name("  The British   Library ") == "british library"
    assert normalize_name("Wikimédia France") == "wikimedia france"
    assert normalize_name("Museum GmbH & Co. KG") == "museum"
    assert normalize_name("Wikimedia Foundation, Inc.") == "wikimedia foundation"
    # A legal form alone, or an article alone, is the whole name.
    assert normalize_name("GmbH") == "gmbh"
    assert normalize_name("The") == "the"
    assert name_key("Wiki Media") == name_key("Wikimedia")
    assert website_key("https://www.Museum.at/") == website_key("museum.at") == "museum.at"
    assert website_key("https://meta.wikimedia.org/wiki/A") != website_key(
        "https://meta.wikimedia.org/wiki/B"
    )
    assert wikidata_key("https://www.wikidata.org/wiki/Q42") == "Q42"
    assert wikidata_key("q42") == "Q42"


@pytest.mark.django_db
def test_identifiers_match_with_certainty():
    museum = OrganizationFactory(
        name="Landesmuseum", wikidata_id="Q123", website="https://www.landesmuseum.at/"
    )
    affiliate = AffiliateFactory(name="Wikimedia Testland", short_code="WMTL")
    assert match_organization(name="x", wikidata_id="q123").organization == museum
    assert match_organization(name="x", short_code="wmtl").organization == affiliate
    match = match_organization(name="x", website="http://landesmuseum.at")
    assert (match.organization, match.reason) == (museum, "website")
    # Identifiers that point at two organizations leave the choice to a person.
    match = match_organization(name="x", wikidata_id="Q123", short_code="WMTL")
    assert match.uncertain
    assert set(match.candidates) == {museum, affiliate}


@pytest.mark.django_db
def test_names_and_local_names_match_and_ambiguity_is_a_choice():
    OrganizationFactory(
        name="Austrian National Library", local_name="Österreichische Nationalbibliothek"
    )
    assert match_organization(name="OSTERREICHISCHE NATIONALBIBLIOTHEK").certain
    OrganizationFactory(name="City Museum", country="AT")
    OrganizationFactory(name="The City Museum", country="DE")
    match = match_organization(name="city museum")
    assert match.uncertain
    assert len(match.candidates) == 2
    close = match_organization(name="Austrian Nationl Library")
    assert close.uncertain
    assert close.reason == "close"
    assert match_organization(name="Something Else Entirely").candidates == ()
    assert not match_organization(name="Something Else Entirely").certain


@pytest.mark.django_db
def test_one_index_answers_every_row_without_a_query():
    for n in range(50):
        OrganizationFactory(name=f"Library number {n}")
    index = OrganizationIndex.build()
    with CaptureQueriesContext(connection) as queries:
        for n in range(500):
            index.match(name=f"The Library Number {n % 60} Ltd")
    assert len(queries) == 0


@pytest.mark.django_db
def test_likely_duplicates_skip_organizations_that_say_they_differ():
    a = OrganizationFactory(name="Stadtmuseum Graz")
    b = OrganizationFactory(name="Stadtmuseum Graz GmbH")
    c = OrganizationFactory(name="Museum X", wikidata_id="Q1")
    d = OrganizationFactory(name="Museum Y", wikidata_id="Q1")
    AffiliateFactory(name="Wikimedia Argentina", short_code="WMAR")
    AffiliateFactory(name="Wikimedia Armenia", short_code="WMAM")
    pairs = {(x.pk, y.pk): reason for x, y, reason in likely_duplicates(OrganizationIndex.build())}
    assert pairs == {(a.pk, b.pk): "name", (c.pk, d.pk): "wikidata"}
