"""The hub's cache: Django's database cache, with a cull that spares the entries security depends
on, and writes that give way when the database is busy.

Everything else in it can be computed again (rendered panels and charts), so a write that cannot
get the database's lock within the busy timeout is skipped, and a read that cannot is a miss (see
hub/core/busy.py).
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache as BaseDatabaseCache
from django.db import OperationalError, connections, router

from hub.core.busy import is_busy

logger = logging.getLogger(__name__)

# Counters of failed sign-ins and password resets (allauth) and markers of two-factor codes already
# used. They expire within minutes on their own. (The API's rate counts are rows of their own,
# hub.api.models.RateCount.)
KEPT_PREFIXES = ("allauth:rl:", "allauth.mfa.totp.used")


class DatabaseCache(BaseDatabaseCache):
    _table: str  # set by Django's __init__ (the stubs do not declare it)

    def get_many(self, keys, version=None):
        # (a read that finds expired entries deletes them, a write)
        try:
            return super().get_many(keys, version=version)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            logger.warning("cache read skipped: the database is busy (%s)", exc)
            return {}

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        try:
            return super()._base_set(mode, key, value, timeout)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            logger.warning("cache %s skipped: the database is busy (%s)", mode, exc)
            return False  # as Django's own answer when its insert or update fails

    def _base_delete_many(self, keys):
        try:
            return super()._base_delete_many(keys)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            logger.warning("cache delete skipped: the database is busy (%s)", exc)
            return False

    def _spare(self, key: str) -> tuple[str, list[str]]:
        """The SQL condition (and its parameters) of the entries that are not KEPT_PREFIXES'."""
        spare = " AND ".join(f"{key} NOT LIKE %s" for _ in KEPT_PREFIXES)
        return spare, [self.make_key(prefix) + "%" for prefix in KEPT_PREFIXES]

    def clear_computed(self) -> None:
        """Delete every entry that can be computed again (rendered panels and charts), as an
        erasure must; `clear()` would also reset the counters, and so the throttling."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        spare, patterns = self._spare(connection.ops.quote_name("cache_key"))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {spare}", patterns)  # noqa: S608

    def _cull(self, db, cursor, now, num):
        """Past MAX_ENTRIES Django deletes the expired entries and then a third of the rest by key
        order, whatever they are; anyone able to fill the cache (chart and filter combinations)
        could so reset the throttling counters. This cull deletes only the other entries."""
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        key, expires = (connection.ops.quote_name(c) for c in ("cache_key", "expires"))
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 (quoted names only)
            [connection.ops.adapt_datetimefield_value(now)],
        )
        remaining = num - cursor.rowcount
        if remaining <= self._max_entries:
            return
        spare, patterns = self._spare(key)
        cursor.execute(
            f"SELECT {key} FROM {table} WHERE {spare} ORDER BY {key} LIMIT 1 OFFSET %s",  # noqa: S608
            [*patterns, remaining // (self._cull_frequency or 1)],
        )
        last = cursor.fetchone()
        if last:
            cursor.execute(
                f"DELETE FROM {table} WHERE {key} < %s AND {spare}",  # noqa: S608
                [last[0], *patterns],
            )


def clear_computed(cache: BaseCache) -> None:
    """`DatabaseCache.clear_computed` for the hub's cache; another backend (a test's) is cleared."""
    clear = getattr(cache, "clear_computed", None)
    (clear or cache.clear)()
