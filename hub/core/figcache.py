"""The figure cache: which cached copy of a figure a viewer gets, and when every copy goes stale.

The mapping page, the movement dashboard and the in-kind infographic compute their numbers once
and keep them, and the HTML drawn from them, in Django's cache through `cached` and `cached_many`
under `key(...)`. What a viewer gets back was made

- for the same `viewer_scope(user)`: what decides which records the viewer sees. Viewers who see
  the same records share a copy; a viewer never gets a copy built for someone who sees more;
- in the current `generation()`: a value that every write moves once it commits. It is stored
  beside each value and read with the values in the same cache query. The history recorder
  (hub/core/history.py) calls `changed()` for every entry it records, so a service that records
  its write need not remember the figures. The admin, which records no history, moves it through
  its log entries (`connect`); a restore and an erasure empty the cache instead;
- in the same language (figures hold translated labels), with whatever else the caller passes
  (filters, year, currency, the fragment's name).

An entry of an older generation is made again on its next read; one not read again ages out (or
is culled).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "figures:generation"


# How to list the organizations a user belongs to. Core imports no domain app, so the directory,
# which owns that question (Organization.objects.member_of), hands the answer over when it loads.
_member_of: Callable[[Any], Iterable[int]] | None = None


def read_memberships_with(member_of: Callable[[Any], Iterable[int]]) -> None:
    """Called once by hub.directory's AppConfig.ready: `member_of(user)` gives the ids of the
    organizations `user` belongs to, in any role."""
    global _member_of
    _member_of = member_of


def viewer_scope(user) -> str:
    """What decides which records `user` sees, as a short string: users alike share figures.

    Anonymous visitors see public records; signed-in users also movement-visible ones; members
    also the private records of the organizations they belong to (in any role); staff see
    everything. A signed-in user without a membership is not an anonymous visitor (they see
    movement-visible partnerships). The organizations come from the one permission vocabulary
    (`Organization.objects.member_of`, handed to core by the directory: see `read_memberships_with`);
    it is one query, so a view that builds several keys asks once and passes the answer on.
    """
    if not user.is_authenticated:
        return "anonymous"
    if user.is_staff:
        return "staff"
    if _member_of is None:
        raise ImproperlyConfigured("hub.directory has not registered how to read memberships")
    ids = sorted(_member_of(user))
    if not ids:
        return "signed-in"
    return "orgs-" + hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def _new_generation() -> str:
    # Never a value seen before (not a counter): two writers that bump at once both move it, and
    # an evicted generation cannot come back as one that old copies are stored under.
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def generation() -> str:
    """The current generation: read it before computing what is stored under it (a write that
    commits meanwhile then moves it past the copy, never the copy past the write)."""
    value = cache.get(GENERATION_KEY)
    return str(value) if value is not None else _start()


def _start() -> str:
    """A generation for a cache that has none (new, emptied, or the entry evicted). `add`, never
    `set`: a bump that lands meanwhile must win."""
    new = _new_generation()
    if cache.add(GENERATION_KEY, new, timeout=None):
        return new
    # Someone else started one, or the database is busy (then the figures are computed afresh).
    value = cache.get(GENERATION_KEY)
    return str(value) if value is not None else new


def bump() -> None:
    """Move the generation now; every cached figure and fragment is stale from here on.

    A cache failure must not turn a saved write into an error: it is logged.
    """
    try:
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.exception("Could not mark the figures as changed; cached ones may be stale")


class _Once:
    """One bump for all the `changed()` calls of a transaction (a rate's change records an entry
    for each contribution it revalues): each call registers `run` with `on_commit`, so Django's own
    bookkeeping decides which survive a rolled-back savepoint, and the first that runs bumps."""

    def __init__(self) -> None:
        self.done = False

    def run(self) -> None:
        if not self.done:
            self.done = True
            bump()


def changed() -> None:
    """Move the generation once the current transaction commits (at once outside one); a write
    rolled back moves nothing. The history recorder calls this for every entry."""
    connection = transaction.get_connection()
    once = getattr(connection, "_figcache_once", None)
    if once is None or once.done:
        once = connection._figcache_once = _Once()  # type: ignore[attr-defined]
    transaction.on_commit(once.run)


def key(kind: str, user_scope: str, **parts: Any) -> str:
    """The cache key of `kind` (e.g. "mapping-panel") for a viewer scope, in the active language,
    varied by `parts` (JSON-able: filters, year, currency...). The generation is not in the key:
    it is stored beside the value (see `cached_many`)."""
    payload = json.dumps(
        {"scope": user_scope, "lang": get_language() or "", "parts": parts},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return f"figures:{kind}:" + hashlib.sha256(payload.encode()).hexdigest()


def cached[T](cache_key: str, make: Callable[[], T], timeout: int) -> T:
    """The value under `cache_key` if it was made in the current generation, else made (and
    stored) now: one cache read on a hit."""
    return cached_many({cache_key: make}, timeout)[cache_key]


def cached_many[T](wanted: dict[str, Callable[[], T]], timeout: int) -> dict[str, T]:
    """{key: value} for every key of `wanted`: one cache read for the generation and all of them
    together (a page of several fragments costs one query), and for those missing or made in an
    older generation, their callable is called and the results stored in one write.

    Each entry is stored as (generation, value). The generation is read with the entries and
    before anything is computed, so a write that commits meanwhile can only make a stored value
    newer than its generation says, never older.
    """
    found = cache.get_many([GENERATION_KEY, *wanted])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = _start()
    out: dict[str, T] = {}
    fresh: dict[str, tuple[str, T]] = {}
    for cache_key, make in wanted.items():
        entry = found.get(cache_key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
            out[cache_key] = entry[1]
        else:
            out[cache_key] = make()
            fresh[cache_key] = (str(current), out[cache_key])
    if fresh:
        cache.set_many(fresh, timeout)
    return out


def admin_logged(sender, **kwargs) -> None:
    """A write in the Django admin (it records no history, only its own log): figures change."""
    changed()


def connect(log_entry_model: Any) -> None:
    """Connect `admin_logged` to the admin's log entries (called from the core app's ready())."""
    from django.db.models.signals import post_save

    post_save.connect(admin_logged, sender=log_entry_model, dispatch_uid="figcache-admin")
