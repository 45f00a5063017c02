"""The API's rate limit under load: two server processes, sixteen threads, real HTTP.

The servers share the test database (a file copy of it on SQLite, whose test database lives in
memory), as the hub's web processes share theirs.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from hub.api.models import RateCount
from hub.core.testing.processes import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_only]

LIMIT = 300
THREADS = 16
REQUESTS_PER_THREAD = 60
BASE_DIR = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    for _attempt in range(600):
        assert server.poll() is None, "the server stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no server on port {port}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def servers(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(tmp_path),
        "API_RATE_LIMIT_PER_ADDRESS": str(LIMIT),
        "API_RATE_LIMIT_WINDOW": str(10**9),  # one window for the whole test
    }
    ports = [_free_port(), _free_port()]
    started = [
        subprocess.Popen(  # noqa: S603 (our own manage.py)
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{port}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, started, strict=True):
            _wait_for(port, server)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in started:
            server.terminate()
            server.wait(timeout=30)


def test_no_request_past_the_limit_gets_through_under_concurrency(servers):
    def calls(thread: int) -> list[int]:
        return [
            _status(f"{servers[(thread + n) % 2]}/api/v1/organizations?limit=1")
            for n in range(REQUESTS_PER_THREAD)
        ]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = Counter(
            status for answers in pool.map(calls, range(THREADS)) for status in answers
        )
    assert statuses == {200: LIMIT, 429: THREADS * REQUESTS_PER_THREAD - LIMIT}
    if connection.vendor != "sqlite":  # there the servers counted in their copy
        assert RateCount.objects.get().count == THREADS * REQUESTS_PER_THREAD
