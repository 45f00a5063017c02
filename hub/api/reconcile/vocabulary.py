"""What the reconciliation service speaks of: its types (the directory's organization kinds) and
its properties (identifiers first, then country and type).

Identifiers are read through `organization_identifiers(organization)` and looked up through
`identifier_lookup(pid, key)`, both driven by `IDENTIFIERS`: an identifier the directory gains
(ROR, ISIL, VIAF...) is one more `Identifier` entry there, and the manifest, the property suggest
service, the queries and the scores all take it up.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hub.directory.matching import short_code_key, website_key, wikidata_key
from hub.directory.models import Organization


@dataclass(frozen=True)
class Identifier:
    """An identifier of organizations: its property id, its name, the Organization field that
    holds it, the normalization two spellings of one value share (`key`), and how the database
    finds the organizations that may hold a key (`lookup`: a superset; `key` then decides)."""

    pid: str
    name: Promise
    description: Promise
    field: str
    key: Callable[[str], str]
    lookup: Callable[[str], Q]


def _exact(field: str) -> Callable[[str], Q]:
    return lambda key: Q(**{f"{field}__iexact": key})


def _website_lookup(key: str) -> Q:
    # Stored websites keep their scheme, "www." and trailing "/": the host finds them, the key
    # then compares the whole address.
    return Q(website__icontains=key.split("/", 1)[0])


IDENTIFIERS: tuple[Identifier, ...] = (
    Identifier(
        "wikidata",
        _("Wikidata item"),
        _("The organization's Wikidata item, such as Q42 or its URL."),
        "wikidata_id",
        wikidata_key,
        _exact("wikidata_id"),
    ),
    Identifier(
        "website",
        _("Website"),
        _("The organization's website; compared without scheme, www. and a final /."),
        "website",
        website_key,
        _website_lookup,
    ),
    Identifier(
        "short_code",
        _("Short code"),
        _("A movement organization's code, such as WMAT."),
        "short_code",
        short_code_key,
        _exact("short_code"),
    ),
)
IDENTIFIER_BY_PID = {identifier.pid: identifier for identifier in IDENTIFIERS}


def organization_identifiers(organization: Organization) -> dict[str, str]:
    """The identifiers `organization` has, by property id, each as its key ("Q42",
    "example.org/path", "WMAT"). The one place that reads identifiers off an organization."""
    found = {}
    for identifier in IDENTIFIERS:
        if key := identifier.key(getattr(organization, identifier.field) or ""):
            found[identifier.pid] = key
    return found


def identifier_lookup(pid: str, key: str) -> Q:
    return IDENTIFIER_BY_PID[pid].lookup(key)


IDENTIFIER_FIELDS = tuple(identifier.field for identifier in IDENTIFIERS)


@dataclass(frozen=True)
class Property:
    pid: str
    name: Promise
    description: Promise


COUNTRY = Property(
    "country",
    _("Country"),
    _("Where the organization is based: an ISO code such as AT, or the country's name."),
)
TYPE = Property(
    "type",
    _("Type"),
    _("The kind of organization, such as museum or chapter (see the types)."),
)

# Identifiers first: they decide a match, the others only move a score.
PROPERTIES: tuple[Identifier | Property, ...] = (*IDENTIFIERS, COUNTRY, TYPE)
PROPERTY_BY_PID = {prop.pid: prop for prop in PROPERTIES}


def types() -> list[dict[str, str]]:
    """The service's types: every organization kind, with its name in the active language."""
    return [{"id": value, "name": str(label)} for value, label in Organization.Kind.choices]


TYPE_IDS = frozenset(Organization.Kind.values)


def type_key(value: str) -> str:
    """A kind from its id ("museum") or its name in English or the active language ("Museum")."""
    text = value.strip()
    if text in TYPE_IDS:
        return text
    folded = text.casefold()
    for kind, label in Organization.Kind.choices:
        if folded in (kind.casefold(), str(label).casefold(), kind.replace("_", " ")):
            return kind
    return ""


def country_key(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code (alpha-2 or alpha-3, any case) or an English or
    translated country name; "" when it names no country."""
    text = value.strip()
    if not text:
        return ""
    if len(text) in (2, 3) and (code := countries.alpha2(text.upper())):
        return code
    for language in dict.fromkeys(["en", get_language() or "en"]):
        if code := countries.by_name(text, language=language, insensitive=True):
            return str(code)
    return ""
