"""Tiny local HTTP servers standing in for a wiki that misbehaves: one that answers from a script
(429, maxlag, then a real answer), one that sleeps past the hub's timeout. Each records the
requests it got (method, path with query, headers, body)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: dict = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Server:
    url: str
    seen: list[Seen]

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"


@contextmanager
def serving(answers: list[Answer], *, repeat_last: bool = True) -> Iterator[Server]:
    """A server on 127.0.0.1 giving `answers` in turn (the last one again once they run out)."""
    queue = list(answers)
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
            answer = queue.pop(0) if len(queue) > 1 or not repeat_last else queue[0]
            if answer.delay:
                time.sleep(answer.delay)
            content = json.dumps(answer.body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(content)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the hub gave up waiting, as it should

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        server.shutdown()
        server.server_close()


MAXLAG = Answer(
    body={"error": {"code": "maxlag", "info": "Waiting for a replica: 7 seconds lagged."}},
    headers={"retry-after": "7", "x-database-lag": "7"},
)
TOO_MANY = Answer(status=429, body={}, headers={"retry-after": "3"})
