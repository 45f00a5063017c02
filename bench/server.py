"""The hub under gunicorn with production settings on 127.0.0.1, and its memory sampled from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-key-not-used-anywhere-else-" + "k" * 24
WORKERS = 2
THREADS = 4


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str) -> dict[str, str]:
    """The environment the hub runs with in production, plus the benchmark's query counter."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="600",
        STATIC_ROOT=str(ROOT / "data" / "bench" / "static"),
        LOG_LEVEL="ERROR",
        EXTRA_MIDDLEWARE="bench.middleware.QueryCountMiddleware",
        HUB_BENCH_QUERY_COUNT="1",
        # The API's limiter still runs (its cost is measured) but never refuses the load.
        API_RATE_LIMIT_PER_ADDRESS="1000000000",
        API_RATE_LIMIT_PER_TOKEN="1000000000",  # noqa: S106 - a number, not a secret
        DJANGO_SETTINGS_MODULE="hub.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """Production settings serve hashed static files through whitenoise: collect them once."""
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    sources = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Server:
    def __init__(
        self, database_url: str, *, workers: int = WORKERS, threads: int = THREADS
    ) -> None:
        self.env = production_env(database_url)
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "data" / "bench" / "gunicorn.log"

    def start(self) -> None:
        collect_static(self.env)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "gunicorn", "hub.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", "gthread",
            "--keep-alive", "75",
            "--timeout", "300",
            "--backlog", "256",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/static/does-not-exist", timeout=5
                ):
                    pass
            except urllib.error.HTTPError:
                return  # it answers (404 is fine: it is up)
            except OSError:
                time.sleep(0.2)
                continue
            return
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        return [self.process.pid, *descendants(self.process.pid)]

    def rss(self) -> int:
        """Resident memory of the master and its workers, in bytes."""
        return sum(rss_of(pid) for pid in self.pids())


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        found.append(int(child))
        found.extend(descendants(int(child)))
    return found


def rss_of(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def current_rss() -> int:
    return rss_of(os.getpid())


class MemorySampler:
    """Samples a server's RSS every 50 ms while active: the baseline at start and the peak."""

    def __init__(self, server: Server, interval: float = 0.05) -> None:
        self.server = server
        self.interval = interval
        self.baseline = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self.baseline = self.peak = self.server.rss()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.server.rss())

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.peak = max(self.peak, self.server.rss())

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.baseline)


class ThisProcess:
    """Stands in for the server when the hub runs in this process (the smoke test's live server)."""

    workers = 1
    threads = 1

    def rss(self) -> int:
        return current_rss()
