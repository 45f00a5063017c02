"""A small client for the MediaWiki Action API, following Wikimedia's API etiquette.

Use `page_wikitext(api_url, title)` to read a page's current wikitext, or `WikiClient.page` for
the whole `WikiPage` (with its permanent link). What the etiquette asks, and how it is kept:
- a User-Agent naming the hub, its version and a contact (`WIKI_USER_AGENT_CONTACT`);
- one request at a time from this process (a lock), never in parallel;
- `maxlag=5` on every request; a `maxlag` answer (HTTP 200, error code `maxlag`), a `ratelimited`
  one or an HTTP 429 waits for its Retry-After (at least 5 seconds, at most `MAX_LAG_WAIT`) and
  asks again, `MAX_LAG_TRIES` times;
- timeouts on every request, gzip, and a cap on the answer's size.

Only the hosts in `WIKI_ALLOWED_HOSTS` are asked ("*.wikipedia.org" allows every subdomain), so a
person cannot make the hub fetch an address of their choosing; HTTP redirects are not followed
(one could leave the allowed hosts), while wiki redirects between pages are, and the page says
which title it was reached from. Every failure is a `WikiError` whose message names the wiki and
the title, in the person's language.
"""

from __future__ import annotations

import json
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

MAX_LAG_TRIES = 3
MAX_LAG_WAIT = 60.0
MIN_LAG_WAIT = 5.0
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_ANSWER_BYTES = 20 * 1024 * 1024  # a page's wikitext is at most 2 MiB on Wikimedia wikis

# Answers that mean "wait and ask again": replication lag, a rate limit, HTTP 429.
RETRIED_CODES = ("maxlag", "ratelimited", "http-429")

# One request at a time from this process, whichever thread asks (API etiquette).
_serial = threading.Lock()


class WikiError(Exception):
    """A page cannot be read; the message says why, naming the wiki and the title."""


@dataclass(frozen=True)
class WikiPage:
    """A page's current revision: the title as the wiki writes it, the revision's id, its
    wikitext, the page's address and the revision's permanent address. `redirected_from` is the
    title asked for when the wiki redirected it to this page."""

    api_url: str
    title: str
    revision: int
    wikitext: str
    url: str
    permalink: str
    redirected_from: str = ""


@cache
def hub_version() -> str:
    """The hub's version, as pyproject.toml says (the project is run from its checkout)."""
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def user_agent() -> str:
    """The User-Agent of every request: `<client>/<version> (<contact>) <library>/<version>`, as
    the Wikimedia User-Agent policy asks."""
    contact = settings.WIKI_USER_AGENT_CONTACT or settings.SITE_URL
    return f"PartnershipHub/{hub_version()} ({contact}) httpx/{httpx.__version__}"


def host_allowed(host: str) -> bool:
    """Whether `host` is in `WIKI_ALLOWED_HOSTS` (an exact host, or "*.name" for its subdomains)."""
    host = host.lower().rstrip(".")
    for pattern in settings.WIKI_ALLOWED_HOSTS:
        pattern = pattern.strip().lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def api_url_for(wiki: str) -> str:
    """The Action API address of what a person typed as a wiki: a full api.php address stays as
    it is; a host or a wiki's address without a path gets https and Wikimedia's `/w/api.php`.
    Raises WikiError for an address the hub may not ask (see `WIKI_ALLOWED_HOSTS`)."""
    text = wiki.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise WikiError(
            _("'%(wiki)s' is not the address of a wiki.") % {"wiki": wiki.strip()[:200]}
        )
    if not host_allowed(host):
        raise WikiError(
            _(
                "The hub does not read pages from %(host)s. It reads only the wikis its "
                "operator allows (WIKI_ALLOWED_HOSTS)."
            )
            % {"host": host}
        )
    path = parts.path
    if not path.endswith("api.php"):
        path = "/w/api.php"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _permalink(api_url: str, revision: int) -> str:
    parts = urlsplit(api_url)
    path = parts.path.removesuffix("api.php") + "index.php"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({"oldid": revision}), ""))


class WikiClient:
    """Asks wikis through their Action API. `transport` and `sleep` are for tests (a fake wiki,
    waits that take no time); everything else comes from settings."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: httpx.Timeout = TIMEOUT,
    ):
        self._transport = transport
        self._sleep = sleep
        self._timeout = timeout

    def _client(self) -> httpx.Client:
        return httpx.Client(
            transport=self._transport,
            timeout=self._timeout,
            follow_redirects=False,
            headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip"},
        )

    def query(self, api_url: str, params: dict[str, Any], *, title: str) -> dict[str, Any]:
        """The JSON answer to a read request (`format=json`, `formatversion=2` and `maxlag=5`
        added), after waiting out replication lag. `title` names the page in error messages."""
        api_url = api_url_for(api_url)
        wiki = urlsplit(api_url).hostname or api_url
        where = {"wiki": wiki, "title": title}
        params = {**params, "format": "json", "formatversion": "2", "maxlag": "5"}
        for attempt in range(MAX_LAG_TRIES + 1):
            answer, retry_after = self._get(api_url, params, where)
            error = answer.get("error")
            if isinstance(error, dict) and error.get("code") in RETRIED_CODES:
                if attempt < MAX_LAG_TRIES:
                    self._sleep(min(max(retry_after, MIN_LAG_WAIT), MAX_LAG_WAIT))
                    continue
                raise WikiError(
                    _(
                        "%(wiki)s is too busy to answer now (its databases are lagging), so "
                        "'%(title)s' could not be read. Try again in a few minutes."
                    )
                    % where
                )
            if isinstance(error, dict):
                raise WikiError(
                    _("%(wiki)s refused to give '%(title)s': %(reason)s")
                    % {**where, "reason": str(error.get("info") or error.get("code"))[:300]}
                )
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(
        self, api_url: str, params: dict[str, Any], where: dict[str, str]
    ) -> tuple[dict[str, Any], float]:
        with _serial, self._client() as client:
            try:
                with client.stream("GET", api_url, params=params) as response:
                    if response.is_redirect:
                        raise WikiError(
                            _(
                                "%(wiki)s sent the request for '%(title)s' to another address "
                                "(%(location)s). Give the wiki's API address itself."
                            )
                            % {**where, "location": response.headers.get("location", "")[:200]}
                        )
                    if response.status_code == 429:
                        # Too many requests: waited out like maxlag (its Retry-After).
                        wait = _seconds(response.headers.get("retry-after"))
                        return {"error": {"code": "http-429"}}, wait
                    if response.status_code != 200:
                        raise WikiError(_not_a_wiki(where))
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_ANSWER_BYTES:
                            raise WikiError(_not_a_wiki(where))
                    retry_after = _seconds(response.headers.get("retry-after"))
                    content_type = response.headers.get("content-type", "")
            except httpx.TimeoutException as exc:
                raise WikiError(
                    _("%(wiki)s did not answer in time, so '%(title)s' could not be read.") % where
                ) from exc
            except httpx.TransportError as exc:
                raise WikiError(
                    _("%(wiki)s cannot be reached, so '%(title)s' could not be read.") % where
                ) from exc
        if "json" not in content_type:
            raise WikiError(_not_a_wiki(where))
        try:
            answer = json.loads(bytes(body))
        except ValueError as exc:
            raise WikiError(_not_a_wiki(where)) from exc
        if not isinstance(answer, dict) or not (
            {"query", "error", "batchcomplete"} & answer.keys()
        ):
            raise WikiError(_not_a_wiki(where))
        return answer, retry_after

    def page(self, api_url: str, title: str) -> WikiPage:
        """The page `title`'s current revision on the wiki at `api_url` (redirects followed)."""
        title = title.strip()
        api_url = api_url_for(api_url)
        wiki = urlsplit(api_url).hostname or api_url
        where = {"wiki": wiki, "title": title[:200]}
        if not title or "|" in title or len(title) > 512:
            raise WikiError(_("'%(title)s' is not a page title %(wiki)s accepts.") % where)
        answer = self.query(
            api_url,
            {
                "action": "query",
                "prop": "info|revisions",
                "inprop": "url",
                "rvprop": "ids|content",
                "rvslots": "main",
                "titles": title,
                "redirects": "1",
            },
            title=title,
        )
        query = answer.get("query")
        if not isinstance(query, dict):
            query = {}
        pages = query.get("pages")
        if not isinstance(pages, list) or len(pages) != 1 or not isinstance(pages[0], dict):
            if query.get("interwiki"):
                raise WikiError(
                    _("'%(title)s' points to another wiki, not to a page on %(wiki)s.") % where
                )
            raise WikiError(_not_a_wiki(where))
        page = pages[0]
        redirects = query.get("redirects") or []
        redirected_from = str(redirects[0].get("from", "")) if redirects else ""
        if page.get("invalid"):
            raise WikiError(_("'%(title)s' is not a page title %(wiki)s accepts.") % where)
        if page.get("missing"):
            if redirected_from:
                raise WikiError(
                    _("'%(title)s' on %(wiki)s redirects to '%(target)s', which does not exist.")
                    % {**where, "target": str(page.get("title", ""))[:200]}
                )
            raise WikiError(_("%(wiki)s has no page '%(title)s'.") % where)
        try:
            revision = page["revisions"][0]
            slot = revision["slots"]["main"]
            return WikiPage(
                api_url=api_url,
                title=str(page["title"]),
                revision=int(revision["revid"]),
                wikitext=str(slot["content"]),
                url=str(page.get("fullurl") or ""),
                permalink=_permalink(api_url, int(revision["revid"])),
                redirected_from=redirected_from,
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise WikiError(_not_a_wiki(where)) from exc


def _not_a_wiki(where: dict[str, str]) -> str:
    return (
        _("%(wiki)s did not answer like a MediaWiki wiki, so '%(title)s' could not be read.")
        % where
    )


def _seconds(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0


def page_wikitext(api_url: str, title: str) -> tuple[str, int, str, str]:
    """(the title as the wiki writes it, the current revision's id, its wikitext, the page's
    address) of `title` on the wiki at `api_url`. Raises WikiError."""
    page = WikiClient().page(api_url, title)
    return page.title, page.revision, page.wikitext, page.url


# Signed-in requests: a bot password or an owner-only OAuth 2 token, then edits.


class WikiLoginError(WikiError):
    """The wiki refused the sign-in (a wrong bot password, a revoked token)."""


class WikiEditConflict(WikiError):
    """The page changed on the wiki after the revision the person saw."""


@dataclass(frozen=True)
class Credentials:
    """How to sign in: `kind` is "bot_password" (`username` is `Main@BotName`, `secret` the bot
    password) or "oauth_token" (`secret` an owner-only OAuth 2 access token). `repr` hides the
    secret, so a traceback or a log line never shows it."""

    kind: str
    username: str
    secret: str

    def __repr__(self) -> str:
        return f"Credentials(kind={self.kind!r}, username={self.username!r}, secret='***')"


@dataclass(frozen=True)
class PageState:
    """A page as an editor sees it before editing: whether it exists, its current revision (0
    when missing), the revision's timestamp and its wikitext."""

    title: str
    exists: bool
    revision: int = 0
    timestamp: str = ""
    wikitext: str = ""


class WikiSession:
    """A signed-in conversation with one wiki: cookies kept between its requests, one request at
    a time, `maxlag=5`, the User-Agent, waits on maxlag, `ratelimited` and HTTP 429. Use it as a
    context manager: `with WikiSession(api_url, credentials) as wiki: wiki.login(); wiki.edit(...)`.
    Every failure is a WikiError naming the wiki; the secret is never part of a message."""

    def __init__(
        self,
        api_url: str,
        credentials: Credentials,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: httpx.Timeout | None = None,
    ):
        if timeout is None:
            timeout = httpx.Timeout(float(settings.WIKI_TIMEOUT_SECONDS), connect=5.0)
        self.api_url = api_url_for(api_url)
        self.wiki = urlsplit(self.api_url).hostname or self.api_url
        self._credentials = credentials
        self._sleep = sleep
        headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip"}
        if credentials.kind == "oauth_token":
            headers["Authorization"] = f"Bearer {credentials.secret}"
        self._client = httpx.Client(
            transport=transport, timeout=timeout, follow_redirects=False, headers=headers
        )
        self._csrf = ""

    def __enter__(self) -> WikiSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def _ask(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        params = {**params, "format": "json", "formatversion": "2", "maxlag": "5"}
        if "token" in params:  # the token goes last, so a truncated request is refused
            params["token"] = params.pop("token")
        where = {"wiki": self.wiki}
        for attempt in range(MAX_LAG_TRIES + 1):
            answer, retry_after = self._send(method, params, where)
            error = answer.get("error")
            if isinstance(error, dict) and error.get("code") in RETRIED_CODES:
                if attempt < MAX_LAG_TRIES:
                    self._sleep(min(max(retry_after, MIN_LAG_WAIT), MAX_LAG_WAIT))
                    continue
                raise WikiError(
                    _(
                        "%(wiki)s is too busy to answer now (it asks the hub to wait). Nothing "
                        "was published; try again in a few minutes."
                    )
                    % where
                )
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self, method: str, params: dict[str, Any], where: dict[str, str]
    ) -> tuple[dict[str, Any], float]:
        with _serial:
            try:
                if method == "POST":
                    # the token goes last, as the API asks, and only in the body
                    response = self._client.post(self.api_url, data=params)
                else:
                    response = self._client.get(self.api_url, params=params)
            except httpx.TimeoutException as exc:
                raise WikiError(
                    _("%(wiki)s did not answer in time. Nothing was published.") % where
                ) from exc
            except httpx.TransportError as exc:
                raise WikiError(
                    _("%(wiki)s cannot be reached. Nothing was published.") % where
                ) from exc
        if response.status_code == 429:
            return {"error": {"code": "http-429"}}, _seconds(response.headers.get("retry-after"))
        if response.is_redirect or response.status_code != 200:
            raise WikiError(self._not_a_wiki())
        if len(response.content) > MAX_ANSWER_BYTES:
            raise WikiError(self._not_a_wiki())
        try:
            answer = response.json()
        except ValueError as exc:
            raise WikiError(self._not_a_wiki()) from exc
        if not isinstance(answer, dict):
            raise WikiError(self._not_a_wiki())
        return answer, _seconds(response.headers.get("retry-after"))

    def _not_a_wiki(self) -> str:
        return _("%(wiki)s did not answer like a MediaWiki wiki. Nothing was published.") % {
            "wiki": self.wiki
        }

    def _refused(self, answer: dict[str, Any]) -> WikiError:
        error = answer.get("error") or {}
        reason = str(error.get("info") or error.get("code") or "?")[:300]
        return WikiError(_("%(wiki)s refused: %(reason)s") % {"wiki": self.wiki, "reason": reason})

    def _token(self, kind: str) -> str:
        answer = self._ask("GET", {"action": "query", "meta": "tokens", "type": kind})
        if "error" in answer:
            raise self._refused(answer)
        try:
            return str(answer["query"]["tokens"][f"{kind}token"])
        except (KeyError, TypeError) as exc:
            raise WikiError(self._not_a_wiki()) from exc

    def login(self) -> str:
        """Sign in and fetch the edit (csrf) token; the name the wiki knows the account by."""
        refused = WikiLoginError(
            _(
                "%(wiki)s refused to sign the hub in with this connection. Check the account "
                "name and the bot password or token (a manager can enter them again)."
            )
            % {"wiki": self.wiki}
        )
        if self._credentials.kind == "bot_password":
            token = self._token("login")
            answer = self._ask(
                "POST",
                {
                    "action": "login",
                    "lgname": self._credentials.username,
                    "lgpassword": self._credentials.secret,
                    "lgtoken": token,
                },
            )
            if (answer.get("login") or {}).get("result") != "Success":
                raise refused
        answer = self._ask("GET", {"action": "query", "meta": "userinfo"})
        user = (answer.get("query") or {}).get("userinfo") or {}
        if "error" in answer or not user or user.get("anon"):
            raise refused
        self._csrf = self._token("csrf")
        if self._csrf in ("", "+\\"):
            raise refused
        return str(user.get("name", ""))

    def current(self, title: str) -> PageState:
        """The page `title` now: its revision, timestamp and wikitext, or that it is missing."""
        answer = self._ask(
            "GET",
            {
                "action": "query",
                "prop": "revisions",
                "rvprop": "ids|timestamp|content",
                "rvslots": "main",
                "titles": title,
            },
        )
        if "error" in answer:
            raise self._refused(answer)
        try:
            page = answer["query"]["pages"][0]
            if page.get("invalid"):
                raise WikiError(
                    _("'%(title)s' is not a page title %(wiki)s accepts.")
                    % {"title": title[:200], "wiki": self.wiki}
                )
            if page.get("missing"):
                return PageState(title=str(page["title"]), exists=False)
            revision = page["revisions"][0]
            return PageState(
                title=str(page["title"]),
                exists=True,
                revision=int(revision["revid"]),
                timestamp=str(revision["timestamp"]),
                wikitext=str(revision["slots"]["main"]["content"]),
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise WikiError(self._not_a_wiki()) from exc

    def edit(self, *, title: str, text: str, summary: str, base: PageState) -> int:
        """Save `text` as the page `title`, over the revision `base` the person saw: a page that
        changed (or was created) since raises WikiEditConflict, never a silent merge. The new
        revision's id (the current one when nothing changed)."""
        if not self._csrf:
            self.login()
        now = self.current(title)
        if now.exists != base.exists or now.revision != base.revision:
            raise WikiEditConflict(
                _("'%(title)s' changed on %(wiki)s after you looked at it.")
                % {"title": title[:200], "wiki": self.wiki}
            )
        params: dict[str, Any] = {
            "action": "edit",
            "title": title,
            "text": text,
            "summary": summary,
            "assert": "user",
        }
        if base.exists:
            params |= {"baserevid": base.revision, "basetimestamp": base.timestamp}
            params["nocreate"] = "1"
        else:
            params["createonly"] = "1"
        params["token"] = self._csrf
        answer = self._ask("POST", params)
        code = str((answer.get("error") or {}).get("code", ""))
        if code in ("editconflict", "articleexists", "missingtitle"):
            raise WikiEditConflict(
                _("'%(title)s' changed on %(wiki)s after you looked at it.")
                % {"title": title[:200], "wiki": self.wiki}
            )
        if code in ("assertuserfailed", "badtoken", "notloggedin"):
            raise WikiLoginError(
                _("%(wiki)s no longer accepts the hub's sign-in. Nothing was published.")
                % {"wiki": self.wiki}
            )
        if code:
            raise self._refused(answer)
        result = answer.get("edit") or {}
        if result.get("result") != "Success":
            raise WikiError(
                _("%(wiki)s did not save '%(title)s' (it asks for a check the hub cannot pass).")
                % {"title": title[:200], "wiki": self.wiki}
            )
        return int(result.get("newrevid") or now.revision)
