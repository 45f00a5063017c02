"""Django's database cache, with a cull that spares the entries security depends on."""

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections

# Counters of failed sign-ins and password resets (allauth), markers of two-factor codes already
# used, and API rate counters. They expire within minutes on their own.
KEPT_PREFIXES = ("allauth:rl:", "allauth.mfa.totp.used", "api-rate:")


class DatabaseCache(DjangoDatabaseCache):
    """Past MAX_ENTRIES Django deletes the expired entries and then a third of the rest by key
    order, whatever they are; anyone able to fill the cache (chart and filter combinations) could
    so reset the throttling counters. This cull deletes only the other entries."""

    def _cull(self, db, cursor, now, num):
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
        spare = " AND ".join(f"{key} NOT LIKE %s" for _ in KEPT_PREFIXES)
        patterns = [self.make_key(prefix) + "%" for prefix in KEPT_PREFIXES]
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
