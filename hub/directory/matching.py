"""Which directory organization a name (and its codes) means: one normalization of organization
names, an index built once per import, and the likely duplicates already in the directory.

Use `OrganizationIndex.build()` once per import (or page) and ask it `match(...)` for every row:
it reads the directory in one query and answers from memory. `match_organization(...)` is the
same for one name. `likely_duplicates(index)` is what the duplicates page lists.

A match is certain when an identifier points at one organization (the same Wikidata item, short
code or website) or when exactly one organization has the same normalized name or local name.
Anything less (several with that name, identifiers that disagree, close names) is a list of
candidates for a person to choose from; nothing is chosen for them.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from hub.core.streaming import pk_pages
from hub.directory.models import Organization

# A leading article is dropped ("The British Library", "Die Neue Sammlung", "La Cinémathèque"):
# the articles of the shipped languages (en, de, fr, es) and Italian. Dutch "de"/"het" are left
# out on purpose: "De" starts names in other languages too ("De Montfort University").
ARTICLES = frozenset(["the", "die", "der", "das", "la", "le", "les", "l", "el", "los", "las", "il"])

# Legal forms written after a name, and only those: they say how the body is registered, not who
# it is, so "Museum GmbH" and "Museum" are one name. Written as people write them; the dots and
# spaces go in normalization ("e.V." and "eV" are one form). "Foundation", "Stiftung",
# "Association", "Verein" are NOT here: they are words of the name ("Wikimedia Foundation" is not
# "Wikimedia").
LEGAL_SUFFIXES = (
    # German-speaking countries
    "e.V.",  # eingetragener Verein
    "gGmbH",
    "GmbH",
    "GmbH & Co. KG",
    "AG",
    "KG",
    "gUG",
    "UG",
    # English-speaking countries
    "Ltd",
    "Limited",
    "Inc",
    "Incorporated",
    "LLC",
    "PLC",
    "CIC",  # community interest company
    # French-, Spanish-, Italian-, Dutch- and Belgian-speaking forms
    "S.A.",
    "SARL",
    "SAS",
    "S.L.",
    "S.r.l.",
    "S.p.A.",
    "A.C.",  # asociación civil
    "B.V.",
    "N.V.",
    "VZW",
    "ASBL",
    "AISBL",
    # Nordic countries
    "AB",
    "Oy",
    "ry",  # rekisteröity yhdistys
)

_NOT_WORD = re.compile(r"[\W_]+")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*", re.IGNORECASE)
# A close name: this similar by difflib's ratio of the two normalized keys.
CLOSE_RATIO = 0.88
# A word shared by more organizations than this says little ("museum", "wikimedia"): close names
# are looked for among organizations sharing a rarer word.
COMMON_WORD = 200
MAX_CANDIDATES = 8


def _words(text: str) -> list[str]:
    # Accents go (NFKD splits them off as combining marks), case folds, every run of punctuation
    # or space is one separator.
    # (twice, as folding the case can make new accented letters).
    # Most names are plain ASCII, where folding the case is all there is to do (an import reads
    # the whole directory through here).
    plain = text
    for _ in range(2):
        if plain.isascii():
            plain = plain.casefold()
            break
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return [word for word in _NOT_WORD.split(plain) if word]


def _suffix_forms() -> list[tuple[str, ...]]:
    forms = set()
    for suffix in LEGAL_SUFFIXES:
        words = tuple(_words(suffix))
        forms.add(words)
        forms.add(("".join(words),))  # "e V" written "eV"
    return sorted(forms, key=len, reverse=True)


_SUFFIXES = _suffix_forms()
# The legal forms by their last word, longest first: a name is only compared with those its own
# last word could end.
_SUFFIXES_BY_LAST: dict[str, list[tuple[str, ...]]] = defaultdict(list)
for _form in _SUFFIXES:
    _SUFFIXES_BY_LAST[_form[-1]].append(_form)


def normalize_name(name: str) -> str:
    """The form two spellings of one organization's name share: without case, accents,
    punctuation, extra spaces, a leading article or trailing legal forms. A name that is nothing
    but those keeps its words."""
    words = _words(name)
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES_BY_LAST.get(words[-1], ()) if words else ():
            if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
                words = words[: -len(suffix)]
                stripped = True
                break
    return " ".join(words)


def name_key(name: str) -> str:
    """What names are compared by: the normalized name without spaces ("Wiki Media" is
    "Wikimedia")."""
    return normalize_name(name).replace(" ", "")


def website_key(url: str) -> str:
    """A website as compared: host without "www." and port, and the path without a trailing "/"
    (the path stays: several user groups have a page on one wiki as their website)."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    if not host:
        return ""
    return host + parts.path.rstrip("/")


def wikidata_key(value: str) -> str:
    """A Wikidata item as "Q123", from "q123", "Q123" or its URL."""
    found = _WIKIDATA.search(value or "")
    return found.group(0).upper() if found else ""


def short_code_key(value: str) -> str:
    return (value or "").strip().upper()


@dataclass(frozen=True)
class Match:
    """What a name matched: `organization` when certain (and `reason` says by what), else the
    `candidates` to choose from (none when nothing matched)."""

    organization: Organization | None = None
    candidates: tuple[Organization, ...] = ()
    reason: str = ""

    @property
    def certain(self) -> bool:
        return self.organization is not None

    @property
    def uncertain(self) -> bool:
        return self.organization is None and bool(self.candidates)


NO_MATCH = Match()


def _unique(organizations: Iterable[Organization]) -> list[Organization]:
    return list({org.pk: org for org in organizations}.values())


@dataclass
class OrganizationIndex:
    """The directory's organizations by every key a match uses, read once. Build one per import
    (`build()`), not one per row; `add()` a row's new organization so later rows find it."""

    by_wikidata: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    by_short_code: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    by_website: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, list[Organization]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[int, set[str]] = field(default_factory=dict)
    organizations: list[Organization] = field(default_factory=list)

    FIELDS = ("name", "local_name", "short_code", "kind", "country", "website", "wikidata_id")

    @classmethod
    def build(cls, queryset=None) -> "OrganizationIndex":
        index = cls()
        queryset = Organization.objects.all() if queryset is None else queryset
        for organization in pk_pages(queryset.only("pk", *cls.FIELDS), 2000):
            index.add(organization)
        return index

    def add(self, organization: Organization) -> None:
        self.organizations.append(organization)
        if key := wikidata_key(organization.wikidata_id):
            self.by_wikidata[key].append(organization)
        if key := short_code_key(organization.short_code or ""):
            self.by_short_code[key].append(organization)
        if key := website_key(organization.website):
            self.by_website[key].append(organization)
        keys = self.keys.setdefault(organization.pk, set())
        words = set()
        for name in (organization.name, organization.local_name):
            normalized = normalize_name(name) if name else ""
            if key := normalized.replace(" ", ""):
                if key not in keys:
                    self.by_name[key].append(organization)
                keys.add(key)
                words.update(normalized.split())
        for word in words:
            self.by_word[word].append(organization)

    def close_to(self, name: str, *, exclude: int | None = None) -> list[Organization]:
        """Organizations whose name or local name is close to `name` (difflib's ratio, or one
        contains the other), closest first."""
        key = name_key(name)
        if not key:
            return []
        words = set(normalize_name(name).split())
        rare = [w for w in words if 0 < len(self.by_word.get(w, ())) <= COMMON_WORD]
        if rare:
            pool = _unique(org for w in rare for org in self.by_word[w])
        else:
            # Only common words: those sharing all of them.
            sets = [{o.pk for o in self.by_word.get(w, ())} for w in words]
            shared = set.intersection(*sets) if sets else set()
            pool = _unique(o for w in words for o in self.by_word.get(w, ()) if o.pk in shared)
        scored = []
        for org in pool:
            if org.pk == exclude:
                continue
            best = 0.0
            for other in self.keys.get(org.pk, ()):
                if len(key) >= 4 and len(other) >= 4 and (key in other or other in key):
                    best = max(best, 0.9)
                best = max(best, difflib.SequenceMatcher(None, key, other).ratio())
            if best >= CLOSE_RATIO:
                scored.append((best, org))
        scored.sort(key=lambda pair: (-pair[0], pair[1].name, pair[1].pk))
        return [org for _, org in scored[:MAX_CANDIDATES]]

    def match(
        self, *, name: str, website: str = "", short_code: str = "", wikidata_id: str = ""
    ) -> Match:
        """The organization these describe (see the module's docstring for certain and not)."""
        by_identifier: list[tuple[str, list[Organization]]] = [
            ("wikidata", self.by_wikidata.get(wikidata_key(wikidata_id), [])),
            ("short_code", self.by_short_code.get(short_code_key(short_code), [])),
            ("website", self.by_website.get(website_key(website), [])),
        ]
        found = [(reason, orgs) for reason, orgs in by_identifier if orgs]
        if found:
            everyone = _unique(org for _, orgs in found for org in orgs)
            if len(everyone) == 1:
                return Match(organization=everyone[0], reason=found[0][0])
            return Match(candidates=tuple(everyone[:MAX_CANDIDATES]), reason=found[0][0])
        named = self.by_name.get(name_key(name), [])
        if len(named) == 1:
            return Match(organization=named[0], reason="name")
        if named:
            return Match(candidates=tuple(named[:MAX_CANDIDATES]), reason="name")
        close = self.close_to(name)
        return Match(candidates=tuple(close), reason="close") if close else NO_MATCH


def match_organization(
    *, name: str, website: str = "", short_code: str = "", wikidata_id: str = ""
) -> Match:
    """Match one organization against the directory. For many rows build one
    `OrganizationIndex` and ask it instead: this reads the whole directory each time."""
    return OrganizationIndex.build().match(
        name=name, website=website, short_code=short_code, wikidata_id=wikidata_id
    )


def _different(a: Organization, b: Organization) -> bool:
    """Two records that say they are different organizations: two Wikidata items, two codes."""
    qa, qb = wikidata_key(a.wikidata_id), wikidata_key(b.wikidata_id)
    ca, cb = short_code_key(a.short_code or ""), short_code_key(b.short_code or "")
    return bool((qa and qb and qa != qb) or (ca and cb and ca != cb))


def likely_duplicates(index: OrganizationIndex) -> list[tuple[Organization, Organization, str]]:
    """Pairs of organizations in `index` that are probably one: the same Wikidata item, website or
    normalized name, or close names, unless their Wikidata items or short codes differ. Each pair
    once, the older record first, with the reason ("wikidata", "website", "name", "close")."""
    pairs: dict[tuple[int, int], tuple[Organization, Organization, str]] = {}

    def add(a: Organization, b: Organization, reason: str) -> None:
        if a.pk == b.pk or _different(a, b):
            return
        first, second = (a, b) if a.pk < b.pk else (b, a)
        pairs.setdefault((first.pk, second.pk), (first, second, reason))

    for reason, groups in (
        ("wikidata", index.by_wikidata),
        ("website", index.by_website),
        ("name", index.by_name),
    ):
        for orgs in groups.values():
            for i, a in enumerate(orgs):
                for b in orgs[i + 1 :]:
                    add(a, b, reason)
    for org in index.organizations:
        for name in (org.name, org.local_name):
            for other in index.close_to(name, exclude=org.pk) if name else ():
                add(org, other, "close")
    return sorted(
        pairs.values(), key=lambda pair: (pair[0].name.casefold(), pair[0].pk, pair[1].pk)
    )
