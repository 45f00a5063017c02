"""The test database as another process sees it: for tests that start the hub's own processes
(web servers, a command under a memory limit) against the data the test wrote."""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url(tmp_path: Path) -> str:
    """A DATABASE_URL naming the test database: on SQLite, whose test database lives in memory, a
    file copy of it in `tmp_path`; on PostgreSQL and MariaDB the test database itself (so the test
    must commit what the other process reads: `django_db(transaction=True)`)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        target = tmp_path / "hub.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    scheme = "postgres" if "postgresql" in db["ENGINE"] else "mysql"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"{scheme}://{db['USER']}:{db['PASSWORD']}@{db['HOST']}{port}/{db['NAME']}"
