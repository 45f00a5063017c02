"""Finding and scoring the candidates of one query, identifiers first, with the features that
explain each score.

Candidates come from at most two database queries per reconciliation query (never one per
candidate): those an identifier points at, with the same name, or whose name holds every word of
the query; then, if that found nothing certain and fewer than the limit, those whose name holds
one of its longer words, those holding more of them first. Each is
scored from 0 to 100:

- an identifier that agrees (the same Wikidata item, website or short code, or the hub's own id
  as the query) and none that differs: 100;
- otherwise the name's similarity (0 to 1, names normalized as the directory's matching does:
  hub/directory/matching.py) times 100, plus 5 for each agreeing country or type, minus 15 for
  each that differs and 30 for each identifier that differs; at most 95 when the query gave an
  identifier that this candidate cannot confirm (so an identified candidate ranks above a
  namesake).

`match` is true for the one candidate an identifier points at, or else for the one candidate
whose normalized name is the query's, when nothing it has contradicts the query. The features
(`<property>_match` when both sides have a value, `name_similarity`, `name_exact`) say how each
score was made.
"""

import difflib
import re
from dataclasses import dataclass
from functools import reduce
from operator import add, and_, or_

from django.db.models import Case, Q, QuerySet, Value, When

from hub.api.reconcile.queries import Query
from hub.api.reconcile.vocabulary import (
    COUNTRY,
    IDENTIFIER_BY_PID,
    IDENTIFIER_FIELDS,
    TYPE,
    identifier_lookup,
    organization_identifiers,
)
from hub.directory.matching import name_key, normalize_name, short_code_key, wikidata_key
from hub.directory.models import Organization

POOL = 100  # rows read for identifiers and whole names at most
LOOSE_POOL = 50  # rows read for a shared word at most: beyond the best few they are noise
MIN_SCORE = 30.0  # weaker candidates are left out (unless an identifier points at them)
AGREE, DIFFER, DIFFER_IDENTIFIER = 5.0, 15.0, 30.0
UNCONFIRMED = 95.0
FIELDS = ("pk", "name", "local_name", "kind", "country", "city", *IDENTIFIER_FIELDS)
_QID = re.compile(r"^[Qq][1-9][0-9]*$")
_SHORT_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")
_HUB_ID = "id"
_TYPED = re.compile(r"[\W_]+")


@dataclass
class Candidate:
    organization: Organization
    score: float
    features: list[dict]
    identified: bool  # an identifier agrees and none differs
    named: bool  # the normalized names are equal and nothing differs
    match: bool = False


def _identifiers(query: Query) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The identifiers the query gives in its properties, and those its text may be (written
    like a Wikidata item, a short code or one of the service's ids): a guess counts only when it
    agrees, as the text may be a name."""
    given = {pid: keys for pid, keys in query.values.items() if pid in IDENTIFIER_BY_PID}
    guessed = {}
    text = query.text
    if _QID.match(text) and "wikidata" in IDENTIFIER_BY_PID:
        guessed["wikidata"] = wikidata_key(text)
    if _SHORT_CODE.match(text) and "short_code" in IDENTIFIER_BY_PID:
        guessed["short_code"] = short_code_key(text)
    if text.isdigit() and len(text) < 12:
        guessed[_HUB_ID] = str(int(text))
    return given, guessed


def _words(text: str) -> list[tuple[str, ...]]:
    """The words the database looks for: the normalized name's (no article, legal form or
    accent), each with its form as typed when that differs ("musée" beside "musee"), since a
    database compares accented letters as they are. Words of three letters or more, if any."""
    typed = {normalize_name(w): w for w in _TYPED.split(text.casefold()) if w}
    words: list[tuple[str, ...]] = [
        tuple(dict.fromkeys([word, typed.get(word, word)])) for word in normalize_name(text).split()
    ]
    long = [word for word in words if len(word[0]) >= 3]
    return long or words


def _contains(field: str, word: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": form}) for form in word))


def _name_q(words: list[tuple[str, ...]], join) -> Q:
    return reduce(join, (_contains("name", w) for w in words)) | reduce(
        join, (_contains("local_name", w) for w in words)
    )


def _base(visible: QuerySet, query: Query) -> QuerySet:
    base = visible.only(*FIELDS).order_by("pk")
    return base.filter(kind__in=query.types) if query.types else base


def _strict_pool(visible: QuerySet, query: Query, given: dict, guessed: dict) -> list:
    """Those an identifier points at, with the same name, or holding every word of the text;
    the first two before the others, so many names holding a common word ("Museum") do not
    crowd out the one that is it."""
    first = []
    for pid, keys in given.items():
        first += [identifier_lookup(pid, key) for key in keys]
    for pid, key in guessed.items():
        first.append(Q(pk=int(key)) if pid == _HUB_ID else identifier_lookup(pid, key))
    words = _words(query.text) if query.text else []
    if words:
        first += [Q(name__iexact=query.text), Q(local_name__iexact=query.text)]
    wanted = first + ([_name_q(words, and_)] if words else [])
    if not wanted:
        return []
    found = (
        _base(visible, query)
        .filter(reduce(or_, wanted))
        .annotate(first=Case(When(reduce(or_, first), then=Value(0)), default=Value(1)))
        .order_by("first", "pk")
    )
    return list(found[:POOL])


def _loose_pool(visible: QuerySet, query: Query, seen: list[int]) -> list:
    """Those holding one of the text's three longer words, those holding more of them (longer
    ones weigh more) first, so a common word ("museum") does not crowd out the rarer one that
    names the organization."""
    words = _words(query.text) if query.text else []
    if not words:
        return []
    longest = sorted(words, key=lambda word: len(word[0]), reverse=True)[:3]
    shared = reduce(
        add,
        (Case(When(_name_q([w], or_), then=Value(len(w[0]))), default=Value(0)) for w in longest),
    )
    loose = (
        _base(visible, query)
        .filter(_name_q(longest, or_))
        .exclude(pk__in=seen)
        .annotate(shared=shared)
        .order_by("-shared", "pk")
    )
    return list(loose[:LOOSE_POOL])


class NameComparer:
    """How alike a query's text and an organization's names are, from 0 to 1: 1 for the same
    normalized name (hub/directory/matching.py); otherwise the best of difflib's ratio of the
    keys, of the words in order (times 0.95), and one inside the other by their lengths. Built
    once per query: the query's side is normalized once and difflib keeps what it learnt of it."""

    def __init__(self, text: str) -> None:
        self.key = name_key(text)
        self.ordered = "".join(sorted(normalize_name(text).split()))
        self._keys = difflib.SequenceMatcher(None, "", self.key, autojunk=False)
        self._ordered = difflib.SequenceMatcher(None, "", self.ordered, autojunk=False)

    @staticmethod
    def _ratio(matcher: difflib.SequenceMatcher, other: str, best: float, factor: float) -> float:
        matcher.set_seq1(other)
        # quick_ratio() is an upper bound of ratio(): skip the expensive part when it cannot win
        if factor * matcher.quick_ratio() <= best:
            return best
        return max(best, factor * matcher.ratio())

    def similarity(self, organization: Organization) -> float:
        if not self.key:
            return 0.0
        best = 0.0
        for name in (organization.name, organization.local_name):
            normalized = normalize_name(name) if name else ""
            other = normalized.replace(" ", "")
            if not other:
                continue
            if other == self.key:
                return 1.0
            best = self._ratio(self._keys, other, best, 1.0)
            best = self._ratio(self._ordered, "".join(sorted(normalized.split())), best, 0.95)
            short, long = sorted((self.key, other), key=len)
            if len(short) >= 4 and short in long:
                best = max(best, 0.6 + 0.4 * len(short) / len(long))
        return best


def name_similarity(text: str, organization: Organization) -> float:
    """`NameComparer(text).similarity(organization)`, for one comparison."""
    return NameComparer(text).similarity(organization)


def _score(
    query: Query, given: dict, guessed: dict, names: NameComparer, organization: Organization
) -> Candidate:
    features: list[dict] = []
    has = organization_identifiers(organization)
    has[_HUB_ID] = str(organization.pk)
    agree = differ = 0
    for pid, keys in given.items():
        if pid in has:
            same = has[pid] in keys
            features.append({"id": f"{pid}_match", "value": same})
            agree, differ = agree + same, differ + (not same)
    for pid, key in guessed.items():
        if pid not in given and has.get(pid) == key:
            features.append({"id": f"{pid}_match", "value": True})
            agree += 1
    similarity = names.similarity(organization) if query.text else 0.0
    exact = similarity == 1.0
    if query.text:
        features.append({"id": "name_similarity", "value": round(similarity, 3)})
        features.append({"id": "name_exact", "value": exact})
    others_agree = others_differ = 0
    for pid, value in ((COUNTRY.pid, organization.country), (TYPE.pid, organization.kind)):
        if pid in query.values and value:
            same = str(value) in query.values[pid]
            features.append({"id": f"{pid}_match", "value": same})
            others_agree, others_differ = others_agree + same, others_differ + (not same)
    identified = agree > 0 and differ == 0
    if identified:
        score = 100.0
    else:
        score = similarity * 100 + AGREE * others_agree
        score -= DIFFER * others_differ + DIFFER_IDENTIFIER * differ
        if given:
            score = min(score, UNCONFIRMED)
    return Candidate(
        organization=organization,
        score=round(min(100.0, max(0.0, score)), 1),
        features=features,
        identified=identified,
        named=exact and differ == 0 and others_differ == 0,
    )


def reconcile(visible: QuerySet, query: Query) -> list[Candidate]:
    """The candidates for `query` among `visible` organizations, best first, at most its limit."""
    given, guessed = _identifiers(query)
    names = NameComparer(query.text)
    pool = _strict_pool(visible, query, given, guessed)
    scored = [_score(query, given, guessed, names, org) for org in pool]
    # Looking further is for when nothing certain was found and there is room for more.
    if len(scored) < query.limit and not any(c.identified or c.named for c in scored):
        loose = _loose_pool(visible, query, [org.pk for org in pool])
        scored += [_score(query, given, guessed, names, org) for org in loose]
    kept = [c for c in scored if c.identified or c.score >= MIN_SCORE]
    kept.sort(key=lambda c: (-c.score, c.organization.name.casefold(), c.organization.pk))
    identified = [c for c in kept if c.identified]
    named = [c for c in kept if c.named]
    if len(identified) == 1:
        identified[0].match = True
    elif not identified and len(named) == 1:
        named[0].match = True
    return kept[: query.limit]
