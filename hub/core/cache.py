"""The hub's cache: Django's database cache, whose writes give way when the database is busy.

Everything in it can be computed again (rendered panels and charts) or is a count that may lose a
little under contention (API rate limits), so a write that cannot get the database's lock within
the busy timeout is skipped, and a read that cannot is a miss (see hub/core/busy.py).
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as BaseDatabaseCache
from django.db import OperationalError

from hub.core.busy import is_busy

logger = logging.getLogger(__name__)


class DatabaseCache(BaseDatabaseCache):
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
