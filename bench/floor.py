"""The floor: the same SQL a request runs, executed directly through the database driver.

The statements are captured in-process (Django's execute_wrapper around one request through the test
client, with the same settings and database as the server), then replayed on raw driver connections
(sqlite3, psycopg, PyMySQL) with the same load loop: every row fetched, nothing rendered.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.loadgen import LoadResult, Sample

QMARK = re.compile(r"(?<!%)%s")
CACHE_TABLE = "hub_cache"


@dataclass
class Statement:
    sql: str
    params: Any
    many: bool = False
    atomic: bool = False  # inside a transaction Django opened (replayed inside one too)


@dataclass
class Captured:
    statements: list[Statement] = field(default_factory=list)
    status: int = 0
    content: bytes = b""
    streamed_chunks: int = 0

    @property
    def writes(self) -> bool:
        return any(
            s.sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            for s in self.statements
        )


def capture(
    path: str,
    *,
    user: Any = None,
    method: str = "GET",
    data: Any = None,
    stream_chunks: int | None = None,
    prepare: Callable[[], None] | None = None,
) -> Captured:
    """Run one request in-process and record every statement it executes (with its parameters)."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    if prepare is not None:
        prepare()
    captured = Captured()

    def recorder(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        captured.statements.append(Statement(sql, params, many, connection.in_atomic_block))
        return execute(sql, params, many, context)

    # As for the server (bench/server.py): the API's limiter runs but never refuses the capture,
    # whose address shares the window's count with the load just measured.
    unlimited = override_settings(
        API_RATE_LIMIT_PER_ADDRESS=1_000_000_000, API_RATE_LIMIT_PER_TOKEN=1_000_000_000
    )
    with unlimited, connection.execute_wrapper(recorder):
        response = client.get(path) if method == "GET" else client.post(path, data=data)
        captured.status = response.status_code
        if getattr(response, "streaming", False):
            chunks = []
            for n, chunk in enumerate(response.streaming_content):  # type: ignore[attr-defined]
                chunks.append(chunk)
                if stream_chunks is not None and n + 1 >= stream_chunks:
                    break
            captured.streamed_chunks = len(chunks)
            captured.content = b"".join(chunks)
            response.close()
        else:
            captured.content = response.content
    return captured


# --- raw driver connections -----------------------------------------------------------------------


class Raw:
    """A raw DB-API connection to the benchmark database, configured as Django configures its own."""

    def __init__(self) -> None:
        from django.db import connection

        self.vendor = connection.vendor
        settings = connection.settings_dict
        if self.vendor == "sqlite":
            import sqlite3

            from django.db.backends.sqlite3._functions import register as register_functions

            name = str(settings["NAME"])
            self.conn: Any = sqlite3.connect(
                name,
                check_same_thread=False,
                isolation_level=None,
                timeout=20,
                uri=name.startswith("file:"),  # the test database lives in shared memory
            )
            # The functions Django's SQLite backend adds to every connection (date extraction...).
            register_functions(self.conn)
            self.conn.execute("PRAGMA synchronous=NORMAL")
        elif self.vendor == "postgresql":
            import psycopg

            self.conn = psycopg.connect(
                host=settings["HOST"] or "127.0.0.1",
                port=int(settings["PORT"] or 5432),
                user=settings["USER"] or None,
                password=settings["PASSWORD"] or None,
                dbname=settings["NAME"],
                autocommit=True,
                cursor_factory=psycopg.ClientCursor,  # Django binds on the client side too
            )
            self.conn.execute("SET TIME ZONE 'UTC'")
        elif self.vendor == "mysql":
            import pymysql

            self.conn = pymysql.connect(
                host=settings["HOST"] or "127.0.0.1",
                port=int(settings["PORT"] or 3306),
                user=settings["USER"] or "root",
                password=settings["PASSWORD"] or "",
                database=settings["NAME"],
                charset="utf8mb4",
                autocommit=True,
            )
        else:
            raise RuntimeError(f"no floor for {self.vendor}")

    def sql(self, statement: Statement) -> str:
        if self.vendor == "sqlite":
            return QMARK.sub("?", statement.sql).replace("%%", "%")
        return statement.sql

    def run(self, statements: Sequence[Statement]) -> int:
        """Execute the statements and fetch every row; returns the rows fetched.

        Statements Django ran inside a transaction are replayed inside one, opened and committed
        at the same points.
        """
        rows = 0
        cursor = self.conn.cursor()
        in_transaction = False
        try:
            for statement in statements:
                if statement.sql.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                    continue  # Django's own transaction control (SQLite); the flags below decide
                if statement.atomic and not in_transaction:
                    cursor.execute("BEGIN IMMEDIATE" if self.vendor == "sqlite" else "BEGIN")
                    in_transaction = True
                elif not statement.atomic and in_transaction:
                    cursor.execute("COMMIT")
                    in_transaction = False
                if CACHE_TABLE in statement.sql:
                    # The cache's own writes may collide when replayed (a key added twice): the
                    # database still does the work; a collision is not the floor's error.
                    rows += self._tolerant(cursor, statement, in_transaction)
                    continue
                rows += self._execute(cursor, statement)
            if in_transaction:
                cursor.execute("COMMIT")
        except Exception:
            if in_transaction:
                cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()
        return rows

    def _execute(self, cursor: Any, statement: Statement) -> int:
        params = statement.params
        if statement.many:
            cursor.executemany(self.sql(statement), list(params))
            return 0
        if params is None:  # as Django does: no placeholders to convert or bind
            cursor.execute(statement.sql)
        else:
            cursor.execute(self.sql(statement), params)
        return len(cursor.fetchall()) if cursor.description is not None else 0

    def _tolerant(self, cursor: Any, statement: Statement, in_transaction: bool) -> int:
        if in_transaction:
            cursor.execute("SAVEPOINT bench_floor")
        try:
            rows = self._execute(cursor, statement)
        except Exception:
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT bench_floor")
            return 0
        if in_transaction:
            cursor.execute("RELEASE SAVEPOINT bench_floor")
        return rows

    def close(self) -> None:
        self.conn.close()


def replay_load(
    groups: Sequence[list[Statement]],
    *,
    concurrency: int,
    duration: float,
    max_requests: int = 200_000,
    before_each: Callable[[], None] | None = None,
    once_each: bool = False,
) -> LoadResult:
    """Replay each group of statements (one group = one request) round-robin, like the load loop."""
    result = LoadResult(tool="driver")
    lock = threading.Lock()
    limit = min(max_requests, len(groups)) if once_each else max_requests
    counter = iter(range(limit))
    deadline = time.monotonic() + duration

    def worker() -> None:
        raw = Raw()
        try:
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                if before_each is not None:
                    before_each()
                started = time.perf_counter()
                try:
                    raw.run(groups[n % len(groups)])
                    sample = Sample(time.perf_counter() - started, True, None)
                except Exception as exc:
                    sample = Sample(time.perf_counter() - started, False, None, str(exc)[:200])
                with lock:
                    result.add(sample)
        finally:
            raw.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 300)
    result.seconds = time.monotonic() - started
    return result
