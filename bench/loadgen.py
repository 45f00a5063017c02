"""Load generators on loopback: a pure-Python one (threads, keep-alive) and Debian's wrk when present.

Both check every answer: the status must be the expected one and the body must contain the expected
text, so a fast error page is counted as an error, never as a fast page. Both are bounded in time and
in the number of requests, and talk only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"
QUERY_HEADER = "X-Bench-Queries"
MAX_REQUESTS = 200_000


@dataclass
class Request:
    path: str
    expect: str | None = None  # text the body must contain
    status: int = 200
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    latency: float
    ok: bool
    queries: int | None
    problem: str = ""


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of good answers, seconds
    queries: list[int] = field(default_factory=list)
    problems: dict[str, int] = field(default_factory=dict)
    tool: str = "python"

    def add(self, sample: Sample) -> None:
        self.requests += 1
        if sample.ok:
            self.latencies.append(sample.latency)
        else:
            self.errors += 1
            key = sample.problem[:120]
            self.problems[key] = self.problems.get(key, 0) + 1
        if sample.queries is not None:
            self.queries.append(sample.queries)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        out: dict[str, Any] = {
            "tool": self.tool,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": ms(percentile(lat, 50)),
            "p95_ms": ms(percentile(lat, 95)),
            "p99_ms": ms(percentile(lat, 99)),
        }
        if self.queries:
            out["queries_per_request"] = {
                "min": min(self.queries),
                "max": max(self.queries),
                "mean": round(sum(self.queries) / len(self.queries), 1),
            }
        if self.problems:
            out["problems"] = dict(sorted(self.problems.items(), key=lambda kv: -kv[1])[:5])
        return out


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[min(rank, len(values)) - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


class Client:
    """One keep-alive connection with a cookie jar; enough of a browser for forms and sessions."""

    def __init__(self, port: int, timeout: float = 120.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        stream_to: Callable[[bytes], None] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {
            "Host": f"{HOST}:{self.port}",
            "Accept-Encoding": "identity",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                response = conn.getresponse()
                if stream_to is None:
                    data = response.read()
                else:
                    data = b""
                    while chunk := response.read(256 * 1024):
                        stream_to(chunk)
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        for raw in response.msg.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return response.status, response_headers, data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.send("GET", path)

    def post_form(
        self, path: str, data: Sequence[tuple[str, str]]
    ) -> tuple[int, dict[str, str], bytes]:
        body = urlencode(list(data)).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{path}",
            "Origin": f"http://{HOST}:{self.port}",
        }
        return self.send("POST", path, body=body, headers=headers)


def check(request: Request, status: int, body: bytes) -> str:
    """Empty when the answer is the expected one; otherwise what is wrong with it."""
    if status != request.status:
        return f"status {status} (expected {request.status})"
    if request.expect and request.expect.encode() not in body:
        return f"expected text missing: {request.expect[:40]!r}"
    return ""


def one(client: Client, request: Request) -> Sample:
    started = time.perf_counter()
    try:
        status, headers, body = client.send(
            request.method, request.path, body=request.body, headers=request.headers
        )
    except (OSError, http.client.HTTPException) as exc:
        client.close()
        return Sample(time.perf_counter() - started, False, None, f"{type(exc).__name__}: {exc}")
    latency = time.perf_counter() - started
    problem = check(request, status, body)
    raw = headers.get(QUERY_HEADER.lower())
    return Sample(latency, not problem, int(raw) if raw and raw.isdigit() else None, problem)


def python_load(
    port: int,
    requests: Sequence[Request],
    *,
    concurrency: int,
    duration: float,
    max_requests: int = MAX_REQUESTS,
    before_each: Callable[[], None] | None = None,
    once_each: bool = False,
) -> LoadResult:
    """Drive `requests` round-robin from `concurrency` threads for `duration` seconds.

    `once_each` sends every request at most once (cold-cache runs: each is a new question).
    """
    result = LoadResult(tool="python")
    lock = threading.Lock()
    counter = iter(range(max_requests if not once_each else min(max_requests, len(requests))))
    deadline = time.monotonic() + duration

    def worker() -> None:
        client = Client(port)
        try:
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                if before_each is not None:
                    before_each()
                sample = one(client, requests[n % len(requests)])
                with lock:
                    result.add(sample)
        finally:
            client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 300)
    result.seconds = time.monotonic() - started
    return result


# --- wrk ------------------------------------------------------------------------------------------

WRK_SCRIPT = r"""
local requests = REQUESTS
local n = 0
local current = nil
counts = {ok = 0, bad = 0, qsum = 0, qn = 0, qmin = 1e9, qmax = 0}
problem = ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

function init(args)
  n = offset or 0
end

function request()
  n = n + 1
  current = requests[(n % #requests) + 1]
  return wrk.format(current.method, current.path, current.headers, current.body)
end

function response(status, headers, body)
  local q = headers["X-Bench-Queries"] or headers["x-bench-queries"]
  if q then
    q = tonumber(q)
    counts.qsum = counts.qsum + q
    counts.qn = counts.qn + 1
    if q < counts.qmin then counts.qmin = q end
    if q > counts.qmax then counts.qmax = q end
  end
  if status ~= current.status then
    counts.bad = counts.bad + 1
    problem = "status " .. status .. " (expected " .. current.status .. ")"
  elseif current.expect ~= "" and not string.find(body, current.expect, 1, true) then
    counts.bad = counts.bad + 1
    problem = "expected text missing: " .. current.expect
  else
    counts.ok = counts.ok + 1
  end
end

function done(summary, latency, requests_)
  local ok, bad, qsum, qn, qmin, qmax = 0, 0, 0, 0, 1e9, 0
  local problems = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    ok = ok + c.ok
    bad = bad + c.bad
    qsum = qsum + c.qsum
    qn = qn + c.qn
    if c.qmin < qmin then qmin = c.qmin end
    if c.qmax > qmax then qmax = c.qmax end
    local p = t:get("problem")
    if p and p ~= "" then table.insert(problems, p) end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write("WRK-JSON ")
  io.write(string.format(
    '{"requests": %d, "ok": %d, "bad": %d, "socket_errors": %d, "status_errors": %d, ' ..
    '"seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "qsum": %d, "qn": %d, ' ..
    '"qmin": %d, "qmax": %d, "problem": "%s"}\n',
    summary.requests, ok, bad, socket_errors, e.status, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    qsum, qn, qn > 0 and qmin or 0, qmax, (problems[1] or ""):gsub('"', "'")))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_load(
    port: int, requests: Sequence[Request], *, concurrency: int, duration: float
) -> LoadResult:
    """Drive the requests with wrk: one connection per thread, so each answer maps to its request."""
    items = []
    for request in requests:
        headers = (
            "{"
            + ", ".join(
                f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers.items()
            )
            + "}"
        )
        body = _lua_string(request.body.decode()) if request.body else "nil"
        items.append(
            f"{{method = {_lua_string(request.method)}, path = {_lua_string(request.path)}, "
            f"headers = {headers}, body = {body}, status = {request.status}, "
            f"expect = {_lua_string(request.expect or '')}}}"
        )
    script = WRK_SCRIPT.replace("REQUESTS", "{\n" + ",\n".join(items) + "\n}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lua"
        path.write_text(script, encoding="utf-8")
        command = [
            "wrk", f"-t{concurrency}", f"-c{concurrency}", f"-d{max(1, round(duration))}s",
            "--timeout", "60s", "-s", str(path), f"http://{HOST}:{port}/",
        ]  # fmt: skip
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 120, check=False
        )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(
            f"wrk gave no result: {completed.stdout[-500:]} {completed.stderr[-500:]}"
        )
    data = json.loads(line[len("WRK-JSON ") :])
    result = LoadResult(tool="wrk")
    result.requests = data["requests"]
    result.errors = data["bad"] + data["socket_errors"]
    result.seconds = data["seconds"]
    if data["problem"]:
        result.problems[data["problem"]] = data["bad"]
    if data["socket_errors"]:
        result.problems["socket errors"] = data["socket_errors"]
    result.wrk = data  # type: ignore[attr-defined]
    return result


def wrk_summary(result: LoadResult) -> dict[str, Any]:
    data = result.wrk  # type: ignore[attr-defined]
    out = result.summary()
    out.update(
        p50_ms=round(data["p50_us"] / 1000, 2),
        p95_ms=round(data["p95_us"] / 1000, 2),
        p99_ms=round(data["p99_us"] / 1000, 2),
    )
    if data["qn"]:
        out["queries_per_request"] = {
            "min": data["qmin"],
            "max": data["qmax"],
            "mean": round(data["qsum"] / data["qn"], 1),
        }
    return out
