"""Writes that a reading request makes must not fail it when the database is busy.

SQLite lets one writer at a time; the others wait for the lock up to the busy timeout
(settings.py: `timeout`, 20 s) and then fail with "database is locked". A request that only
reads still writes a little on the way: a token's last-used time, the rate-limit counters and
cached panels in the database cache. Those are worth nothing next to the answer, so they give
way (`skip_if_busy`, `hub.core.cache.DatabaseCache`) instead of answering 500. Writes that matter
(a sign-in's session, an edit) keep waiting the full timeout; the spreadsheet import, the one
long writer, commits a batch at a time so nobody waits for long (hub/imports/stage.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

# What the drivers say when a lock could not be had in time (SQLite, MariaDB, PostgreSQL).
_BUSY = ("database is locked", "database table is locked", "lock wait timeout", "deadlock")


def is_busy(exc: BaseException) -> bool:
    """The error says the database was busy (locked), not that the statement was wrong."""
    return isinstance(exc, OperationalError) and any(text in str(exc).lower() for text in _BUSY)


def retry_if_busy[T](write: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `write` (a transaction of its own) again when the database stayed busy past its
    timeout, up to `attempts` times: for the batches of a long import, which must not fail
    because other writers kept the lock for a while."""
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except OperationalError as exc:
            if not is_busy(exc) or attempt == attempts:
                raise
            logger.warning("the database was busy (%s); trying again", exc)
    raise AssertionError("unreachable")


def skip_if_busy(write: Callable[[], object], *, what: str) -> bool:
    """Run a write nobody needs for the answer (in a savepoint of its own); when the database
    stays busy past its timeout, log it and go on without it. Returns whether it was written."""
    try:
        with transaction.atomic():
            write()
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        logger.warning("skipped %s: the database is busy (%s)", what, exc)
        return False
    return True
