"""World regions of countries, after the UN statistical standard M49 (regions and, for the Americas,
its two intermediate regions). Domain-free: it knows ISO 3166 country codes, nothing of partnerships.

    region_of("AT") == "europe"
    countries_in("oceania") -> ["AS", "AU", ...]

Antarctica (AQ) belongs to no region, as in M49; `region_of` returns None for it and for unknown codes.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    NORTHERN_AMERICA = "northern_america", _("Northern America")
    LATIN_AMERICA = "latin_america", _("Latin America and the Caribbean")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


_COUNTRIES: dict[str, str] = {
    # Northern Africa, then sub-Saharan Africa (Eastern, Middle, Southern, Western)
    Region.AFRICA: "DZ EG LY MA SD TN EH "
    "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
    "AO CM CF TD CG CD GQ GA ST "
    "BW SZ LS NA ZA "
    "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    Region.NORTHERN_AMERICA: "BM CA GL PM US",
    # Caribbean, Central America, South America
    Region.LATIN_AMERICA: "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF "
    "VC SX TT TC VI "
    "BZ CR SV GT HN MX NI PA "
    "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    # Central, Eastern, South-eastern, Southern, Western Asia
    Region.ASIA: "KZ KG TJ TM UZ "
    "CN HK MO KP JP MN KR TW "
    "BN KH ID LA MY MM PH SG TH TL VN "
    "AF BD BT IN IR MV NP PK LK "
    "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    # Eastern, Northern, Southern, Western Europe
    Region.EUROPE: "BY BG CZ HU PL MD RO RU SK UA "
    "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB "
    "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK "
    "AT BE FR DE LI LU MC NL CH",
    # Australia and New Zealand, Melanesia, Micronesia, Polynesia
    Region.OCEANIA: "AU NZ NF HM CX CC "
    "FJ NC PG SB VU "
    "GU KI MH FM NR MP PW UM "
    "AS CK PF NU PN WS TK TO TV WF",
}

REGION_OF: dict[str, str] = {
    code: str(region) for region, codes in _COUNTRIES.items() for code in codes.split()
}


def region_of(country: str) -> str | None:
    """The region code of an ISO 3166-1 alpha-2 country code, or None (Antarctica, unknown)."""
    return REGION_OF.get((country or "").upper())


def countries_in(region: str) -> list[str]:
    """The country codes of a region, sorted; empty for an unknown region."""
    return sorted(code for code, r in REGION_OF.items() if r == region)


def country_choices() -> list[tuple[str, Any]]:
    """A filter's country choices ("Any" first), named and sorted in the reader's language.

    Forms take this callable as `choices`, so the list is built when rendered, not copied with every
    form instance.
    """
    from django_countries import countries

    return [("", _("Any")), *countries]
