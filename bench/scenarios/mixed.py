"""The mixed load: readers of the registry while several writers edit partnerships with their version.

Writers sign in as the generated editors (bench-editor-N) and save partnerships of their own
organization through the edit page, as a person would: open the form, change the title, post it with
the version it showed. A save must answer 302 (a re-shown form, a stale version or any error counts as
a failed write). Writers never share a partnership, so a conflict would be a bug.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from bench.loadgen import Client, LoadResult, Request, Sample, check, one
from bench.scenarios import Context, scenario

READERS = 2
WRITERS = 3
MARK = " ✎"


class _Forms(HTMLParser):
    """The fields of every <form> on a page, as a browser would submit them (no button)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._in_form = True
            self.forms.append([])
            return
        if not self._in_form or not self.forms:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
                return
            fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None and self.forms:
            value = self._select_value if self._select_value is not None else self._select_first
            self.forms[-1].append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            text = "".join(self._text)
            self.forms[-1].append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, containing: str = "csrfmiddlewaretoken") -> list[tuple[str, str]]:
    """The fields of the first form that has a field named `containing`."""
    parser = _Forms()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == containing for name, _v in fields):
            return fields
    return []


def edited(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, value in fields:
        if name == "title":
            value = value[: -len(MARK)] if value.endswith(MARK) else value + MARK
        out.append((name, value))
    return out


def _writer_targets(k: int) -> list[tuple[str, list[int]]]:
    """For each of the first k bench editors: their username and partnerships they may edit."""
    from hub.accounts.models import Membership
    from hub.partnerships.models import Partnership

    out = []
    for index in range(1, k + 1):
        membership = (
            Membership.objects.filter(user__username=f"bench-editor-{index}")
            .select_related("organization")
            .first()
        )
        if membership is None:
            continue
        ids = list(
            Partnership.objects.filter(lead=membership.organization)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        if ids:
            out.append((membership.user.username, ids))
    return out


@scenario("mixed", "Mixed load: 2 readers, 3 writers editing with their version", kind="mixed")
def mixed(ctx: Context) -> dict[str, Any]:
    from bench.floor import capture, replay_load
    from bench.run import mb, ratio
    from hub.accounts.models import User

    writers = _writer_targets(WRITERS)
    if not writers:
        return {"status": "error", "reason": "no bench editors in the dataset"}
    prepared = _prepare_load(ctx, writers)
    if isinstance(prepared, dict):
        return prepared
    reads, signed_in = prepared
    deadline = time.monotonic() + ctx.duration
    read_result, write_result, _elapsed, memory = run_load(
        ctx, reads, signed_in, lambda: time.monotonic() < deadline
    )

    # The floor: a read's statements and a save's statements (in one transaction), same mix.
    read_groups = [capture(r.path).statements for r in reads]
    username, ids = writers[0]
    user = User.objects.get(username=username)
    from django.test import Client as DjangoClient

    django_client = DjangoClient(HTTP_HOST="127.0.0.1")
    django_client.force_login(user)
    path = f"/partnerships/{ids[-1]}/edit/"
    shown = django_client.get(path)
    fields = edited(form_fields(shown.content.decode(), "title"))
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    saved = capture(path, user=user, method="POST", data=data)
    if saved.status != 302:
        return {"status": "error", "reason": f"in-process save answered {saved.status}"}
    write_statements = saved.statements  # the save itself, as the writers' latency is the POST
    floor_reads = LoadResult(tool="driver")
    floor_writes = LoadResult(tool="driver")
    done: list[LoadResult] = []

    def floor_part(groups: list, concurrency: int, into: LoadResult) -> None:
        result = replay_load(groups, concurrency=concurrency, duration=ctx.duration)
        into.__dict__.update(result.__dict__)
        done.append(result)

    parts = [
        threading.Thread(target=floor_part, args=(read_groups, READERS, floor_reads)),
        threading.Thread(target=floor_part, args=([write_statements], len(writers), floor_writes)),
    ]
    for part in parts:
        part.start()
    for part in parts:
        part.join(ctx.duration + 300)

    hub = read_result.summary()
    hub.update(peak_rss_mb=mb(memory.peak), rss_growth_mb=mb(memory.growth))
    writes = write_result.summary()
    floor = floor_reads.summary()
    floor["writes"] = floor_writes.summary()
    errors = read_result.errors + write_result.errors + floor_reads.errors + floor_writes.errors
    result: dict[str, Any] = {
        "status": "error" if errors else "measured",
        "concurrency": READERS + len(writers),
        "hub": hub,
        "writes": writes,
        "floor": floor,
        "ratio_p50": ratio(hub["p50_ms"], floor["p50_ms"]),
        "ratio_p95": ratio(hub["p95_ms"], floor["p95_ms"]),
        "write_ratio_p50": ratio(writes["p50_ms"], floor["writes"]["p50_ms"]),
        "notes": [
            f"{len(writers)} writers saved {write_result.requests - write_result.errors} times "
            f"({writes['rps']}/s; floor {floor['writes']['rps']}/s, write p50 ratio "
            f"{ratio(writes['p50_ms'], floor['writes']['p50_ms'])}×) while {READERS} readers read"
        ],
    }
    if errors:
        problems = {
            **read_result.problems,
            **write_result.problems,
            **floor_reads.problems,
            **floor_writes.problems,
        }
        result["reason"] = "; ".join(f"{k} (x{v})" for k, v in list(problems.items())[:4])
    return result


def _prepare_load(ctx: Context, writers: list[tuple[str, list[int]]]) -> Any:
    """The readers' requests and the writers' signed-in clients (after one warm-up read of each
    page), or an error result."""
    from bench.generate import BENCH_PASSWORD
    from bench.run import login
    from bench.scenarios.pages import partnership_page, registry_list

    # Readers read partnerships no writer edits: a page checks its title, which writers change.
    edited_paths = {f"/partnerships/{pk}/" for _username, ids in writers for pk in ids}
    reads: list[Request] = [
        r for r in partnership_page(ctx).requests if r.path not in edited_paths
    ] + registry_list(ctx).requests[:3]
    warm = Client(ctx.port)
    for request in reads:
        status, _h, body = warm.send("GET", request.path)
        if check(request, status, body):
            return {
                "status": "error",
                "reason": f"warm-up {request.path}: {check(request, status, body)}",
            }
    warm.close()
    signed_in = []
    for username, ids in writers:
        client = Client(ctx.port)
        try:
            login(client, username, BENCH_PASSWORD)
        except (RuntimeError, OSError) as exc:
            return {"status": "error", "reason": str(exc)}
        signed_in.append((client, ids))
    return reads, signed_in


def run_load(
    ctx: Context,
    reads: list[Request],
    signed_in: list[tuple[Client, list[int]]],
    going: Callable[[], bool],
) -> tuple[LoadResult, LoadResult, float, Any]:
    """READERS threads read `reads` and each signed-in writer saves its partnerships with their
    version, for as long as `going()`; (reads, writes, seconds, the server's memory sampler)."""
    from bench.server import MemorySampler

    read_result = LoadResult(tool="python")
    write_result = LoadResult(tool="python")
    lock = threading.Lock()

    def reader(offset: int) -> None:
        client = Client(ctx.port)
        n = offset
        while going():
            sample = one(client, reads[n % len(reads)])
            n += 1
            with lock:
                read_result.add(sample)
        client.close()

    def writer(client: Client, ids: list[int]) -> None:
        n = 0
        while going():
            pk = ids[n % len(ids)]
            n += 1
            path = f"/partnerships/{pk}/edit/"
            status, _h, body = client.get(path)
            problem = check(Request(path, 'name="version"'), status, body)
            if problem:
                with lock:
                    write_result.add(Sample(0.0, False, None, f"edit form: {problem}"))
                continue
            fields = edited(form_fields(body.decode(), "title"))
            started = time.perf_counter()
            status, headers, body = client.post_form(path, fields)
            latency = time.perf_counter() - started
            problem = "" if status == 302 else f"save answered {status}"
            if status == 200 and b"Someone else saved" in body:
                problem = "stale version (conflict)"
            raw = headers.get("x-bench-queries")
            with lock:
                write_result.add(
                    Sample(
                        latency, not problem, int(raw) if raw and raw.isdigit() else None, problem
                    )
                )
        client.close()

    threads = [threading.Thread(target=reader, args=(i * 5,), daemon=True) for i in range(READERS)]
    threads += [threading.Thread(target=writer, args=w, daemon=True) for w in signed_in]
    started = time.monotonic()
    with MemorySampler(ctx.server) as memory:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(ctx.duration + 600)
    elapsed = time.monotonic() - started
    read_result.seconds = write_result.seconds = elapsed
    return read_result, write_result, elapsed, memory
