from django_countries import countries

from hub.core.regions import REGION_OF, Region, countries_in, region_of


def test_every_country_but_antarctica_has_a_region():
    missing = [code for code, _name in countries if region_of(code) is None]
    assert missing == ["AQ"]


def test_regions_partition_the_countries():
    seen = [code for region in Region for code in countries_in(region)]
    assert len(seen) == len(set(seen)) == len(REGION_OF)


def test_known_placements_and_unknown_codes():
    assert region_of("at") == "europe"
    assert region_of("MX") == "latin_america"
    assert region_of("US") == "northern_america"
    assert region_of("EG") == "africa"
    assert region_of("TR") == "asia"
    assert region_of("NZ") == "oceania"
    assert region_of("") is None
    assert region_of("ZZ") is None
    assert countries_in("atlantis") == []
