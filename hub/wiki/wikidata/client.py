"""Asking Wikidata about organizations: search items by name (`wbsearchentities`) and read one
item's labels, website, country and identifiers (`wbgetentities`).

hub/wiki/client.py's `WikiClient.query` expects the answers of `action=query`; Wikibase's modules
answer in their own shape (`search`, `entities`, `success`), so this module asks through its own
small function that keeps the same etiquette: the hub's User-Agent (`hub.wiki.client.user_agent`),
only hosts in `WIKI_ALLOWED_HOSTS`, one request at a time from this process, `maxlag=5`, and
retries with a growing wait on a `maxlag` answer and on HTTP 429 (Retry-After honoured, bounded).
Every failure is a `WikidataError` whose message a person can read; nothing here raises anything
else for anything Wikidata or the network does.

Properties read (partnering reference §5): P856 official website and P6782 ROR are confirmed
there. P17 country, P214 VIAF and P791 ISIL are NOT confirmed by the reference; P17 and P214 were
checked against real recorded answers (the University of Duhok's P17 is Q796, labelled "Iraq";
Cabrillo College's P17 is Q30 and its P214 a VIAF number, see tests/fixtures/wikidata/README.md).
P791 (ISIL) and P297 (a country's ISO 3166-1 alpha-2 code, used to turn P17's item into the
directory's country) are used from Wikidata's property documentation, unverified here.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from hub.wiki.client import host_allowed, user_agent

LANGUAGES = ("en", "de", "fr", "es", "ar")  # the interface languages (settings.LANGUAGES)
QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
TRIES = 4  # one request and three retries on maxlag or 429
MIN_WAIT = 5.0  # the Maxlag manual asks for at least 5 seconds
MAX_WAIT = 60.0
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
MAX_BYTES = 5 * 1024 * 1024
SEARCH_LIMIT = 7

P_WEBSITE = "P856"  # confirmed
P_ROR = "P6782"  # confirmed
P_COUNTRY = "P17"  # not confirmed by the reference; checked in recorded answers
P_VIAF = "P214"  # not confirmed by the reference; checked in a recorded answer
P_ISIL = "P791"  # not confirmed
P_ISO_CODE = "P297"  # not confirmed: a country item's ISO 3166-1 alpha-2 code

_serial = threading.Lock()


class WikidataError(Exception):
    """Wikidata could not answer, or refused; the message says so in the person's language."""


@dataclass(frozen=True)
class Candidate:
    """One search hit: the item, its label and description as Wikidata shows them."""

    qid: str
    label: str
    description: str = ""
    matched: str = ""  # the label or alias the search matched


@dataclass
class Item:
    """What the hub takes from one Wikidata item."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    description: str = ""
    website: str = ""
    country_qid: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, when Wikidata gives the country item's code
    ror_id: str = ""
    isil: str = ""
    viaf_id: str = ""

    @property
    def label(self) -> str:
        return next((self.labels[code] for code in LANGUAGES if self.labels.get(code)), self.qid)


def normalize_qid(text: str) -> str:
    """'q42', ' Q42 ' and 'https://www.wikidata.org/wiki/Q42' all become 'Q42'; anything else
    raises WikidataError."""
    value = (text or "").strip().rstrip("/")
    value = value.rsplit("/", 1)[-1].upper()
    if not QID.match(value):
        raise WikidataError(
            _("'%(value)s' is not a Wikidata item. An item looks like Q12345.")
            % {"value": (text or "").strip()[:60]}
        )
    return value


class WikidataClient:
    """Asks the Wikidata API at `settings.WIKIDATA_API_URL`. `sleep` is for tests (waits that
    take no time); `timeout` too (a slow server)."""

    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        timeout: httpx.Timeout = TIMEOUT,
    ):
        self._sleep = sleep
        self._timeout = timeout

    # --- the two questions -------------------------------------------------------------------

    def search(self, text: str, *, language: str = "en") -> list[Candidate]:
        """Items whose label or alias begins like `text`, best first (at most SEARCH_LIMIT)."""
        text = " ".join((text or "").split())[:250]
        if not text:
            return []
        answer = self.ask(
            {
                "action": "wbsearchentities",
                "search": text,
                "language": language if language in LANGUAGES else "en",
                "uselang": language if language in LANGUAGES else "en",
                "type": "item",
                "limit": str(SEARCH_LIMIT),
            }
        )
        hits = answer.get("search")
        if not isinstance(hits, list):
            raise WikidataError(_not_wikidata())
        found = []
        for hit in hits:
            if not isinstance(hit, dict) or not QID.match(str(hit.get("id", ""))):
                continue
            match = _dict(hit.get("match"))
            found.append(
                Candidate(
                    qid=str(hit["id"]),
                    label=str(hit.get("label") or hit["id"])[:200],
                    description=str(hit.get("description") or "")[:250],
                    matched=str(match.get("text") or "")[:200],
                )
            )
        return found

    def item(self, qid: str) -> Item:
        """The item `qid` (a redirect followed), with its country's ISO code when Wikidata has it."""
        qid = normalize_qid(qid)
        entity = self._entity(qid, props="labels|descriptions|claims")
        item = Item(qid=str(entity.get("id") or qid))
        for code in LANGUAGES:
            value = _text(entity.get("labels"), code)
            if value:
                item.labels[code] = value[:200]
        item.description = next(
            (d for code in LANGUAGES if (d := _text(entity.get("descriptions"), code))), ""
        )[:250]
        claims = _dict(entity.get("claims"))
        item.website = _string_claim(claims, P_WEBSITE)[:200]
        item.ror_id = _string_claim(claims, P_ROR)[:9]
        item.isil = _string_claim(claims, P_ISIL)[:16]
        item.viaf_id = _string_claim(claims, P_VIAF)[:22]
        item.country_qid = _item_claim(claims, P_COUNTRY)
        if item.country_qid:
            country = self._entity(item.country_qid, props="claims")
            code = _string_claim(_dict(country.get("claims")), P_ISO_CODE).upper()
            item.country = code if re.fullmatch(r"[A-Z]{2}", code) else ""
        return item

    def _entity(self, qid: str, *, props: str) -> dict[str, Any]:
        answer = self.ask(
            {
                "action": "wbgetentities",
                "ids": qid,
                "props": props,
                "languages": "|".join(LANGUAGES),
                "redirects": "yes",
            },
            qid=qid,
        )
        entities = answer.get("entities")
        if not isinstance(entities, dict) or not entities:
            raise WikidataError(_not_wikidata())
        entity = next(iter(entities.values()))
        if not isinstance(entity, dict):
            raise WikidataError(_not_wikidata())
        if "missing" in entity:
            raise WikidataError(_("Wikidata has no item %(qid)s.") % {"qid": qid})
        return entity

    # --- one request, with the etiquette ----------------------------------------------------

    def ask(self, params: dict[str, str], *, qid: str = "") -> dict[str, Any]:
        """The JSON answer to a read request, after waiting out lag and rate limits."""
        url = settings.WIKIDATA_API_URL
        host = urlsplit(url).hostname or ""
        if not host or not host_allowed(host):
            raise WikidataError(
                _(
                    "The hub may not ask %(host)s (WIKIDATA_API_URL is not among "
                    "WIKI_ALLOWED_HOSTS). Ask the hub's operator."
                )
                % {"host": host or url[:100]}
            )
        params = {**params, "format": "json", "formatversion": "2", "maxlag": "5"}
        wait = MIN_WAIT
        for attempt in range(TRIES):
            status, answer, retry_after = self._get(url, params)
            error = answer.get("error") if isinstance(answer, dict) else None
            busy = status == 429 or (isinstance(error, dict) and error.get("code") == "maxlag")
            if busy:
                if attempt + 1 < TRIES:
                    self._sleep(min(max(retry_after, wait), MAX_WAIT))
                    wait *= 2
                    continue
                raise WikidataError(
                    _("Wikidata is too busy to answer now. Try again in a few minutes.")
                )
            if status != 200 or not isinstance(answer, dict):
                raise WikidataError(_not_wikidata())
            if isinstance(error, dict):
                if error.get("code") == "no-such-entity":
                    raise WikidataError(_("Wikidata has no item %(qid)s.") % {"qid": qid or "?"})
                raise WikidataError(
                    _("Wikidata refused the request: %(reason)s")
                    % {"reason": str(error.get("info") or error.get("code"))[:300]}
                )
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, url: str, params: dict[str, str]) -> tuple[int, Any, float]:
        headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip"}
        with (
            _serial,
            httpx.Client(timeout=self._timeout, follow_redirects=False, headers=headers) as client,
        ):
            try:
                with client.stream("GET", url, params=params) as response:
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_BYTES:
                            raise WikidataError(_not_wikidata())
                    status = response.status_code
                    retry_after = _seconds(response.headers.get("retry-after"))
            except httpx.TimeoutException as exc:
                raise WikidataError(_("Wikidata did not answer in time. Try again later.")) from exc
            except httpx.TransportError as exc:
                raise WikidataError(
                    _("Wikidata cannot be reached now. Try again later, or type the item by hand.")
                ) from exc
        if status == 429:
            return status, None, retry_after
        try:
            return status, json.loads(bytes(body)), retry_after
        except ValueError:
            return status, None, retry_after


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _not_wikidata() -> str:
    return _("Wikidata did not answer as expected. Try again later.")


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def _text(terms: Any, code: str) -> str:
    """A label's or description's text in `code` (formatversion 2: {"en": {"value": ...}})."""
    if not isinstance(terms, dict):
        return ""
    term = terms.get(code)
    return str(term.get("value") or "").strip() if isinstance(term, dict) else ""


def _best(claims: dict, prop: str) -> list[dict]:
    """The statements of `prop` worth reading: preferred ones if any, else normal ones."""
    statements = [s for s in claims.get(prop) or [] if isinstance(s, dict)]
    preferred = [s for s in statements if s.get("rank") == "preferred"]
    return preferred or [s for s in statements if s.get("rank", "normal") == "normal"]


def _value(statement: dict) -> Any:
    snak = statement.get("mainsnak")
    if not isinstance(snak, dict) or snak.get("snaktype", "value") != "value":
        return None
    datavalue = snak.get("datavalue")
    return datavalue.get("value") if isinstance(datavalue, dict) else None


def _string_claim(claims: dict, prop: str) -> str:
    for statement in _best(claims, prop):
        value = _value(statement)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _item_claim(claims: dict, prop: str) -> str:
    for statement in _best(claims, prop):
        value = _value(statement)
        if isinstance(value, dict) and QID.match(str(value.get("id", ""))):
            return str(value["id"])
    return ""
