"""A stand-in for Wikidata's API in tests: a real HTTP server on 127.0.0.1 answering
wbsearchentities and wbgetentities from the recorded answers in fixtures/wikidata/ (README.md
there says where each came from), by the request's parameters.

    def test_x(wikidata):          # the fixture below; settings point the hub at it
        wikidata.push(429, "")     # the next answer is a 429, then the recorded ones again
        wikidata.delay = 2.0       # every answer waits that long (a slow Wikidata)
        wikidata.requests          # [(params, headers)] of every request received
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "wikidata"
SEARCHES = {
    "university of duhok": "search_university_of_duhok.json",
    "uod": "search_uod.json",
}
COUNTRIES = {"Q796", "Q822", "Q30"}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def recorded_answer(params: dict[str, str]) -> tuple[int, str]:
    """What Wikidata answered (or, for the hand-made files, would answer) to `params`."""
    action = params.get("action")
    if action == "wbsearchentities":
        name = SEARCHES.get(" ".join(params.get("search", "").casefold().split()))
        return 200, fixture(name or "search_empty.json")
    if action == "wbgetentities":
        qid = params.get("ids", "")
        if params.get("props") == "claims" and qid in COUNTRIES:
            return 200, fixture(f"handmade_country_{qid}.json")
        for name in (f"entity_{qid}.json", f"handmade_entity_{qid}.json"):
            if (FIXTURES / name).exists():
                return 200, fixture(name)
        if re.fullmatch(r"Q[1-9][0-9]*", qid):
            return 200, fixture("handmade_missing.json").replace("Q99999999", qid)
        return 200, fixture("error_no_such_entity.json")
    return 400, json.dumps({"error": {"code": "badvalue", "info": "Unknown action."}})


class FakeWikidata:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, str]]] = []
        self.queue: list[tuple[int, str, dict[str, str]]] = []
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = dict(parse_qsl(urlsplit(self.path).query))
                server.requests.append((params, dict(self.headers.items())))
                if server.delay:
                    time.sleep(server.delay)
                if server.queue:
                    status, body, headers = server.queue.pop(0)
                else:
                    status, body = recorded_answer(params)
                    headers = {}
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/w/api.php"

    def push(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        """Answer the next request with this, whatever it asks."""
        self.queue.append((status, body, headers or {}))

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def wikidata(settings):
    """The fake Wikidata, and the hub pointed at it (and allowed to ask only it)."""
    server = FakeWikidata()
    settings.WIKI_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WIKIDATA_API_URL = server.api_url
    try:
        yield server
    finally:
        server.stop()
