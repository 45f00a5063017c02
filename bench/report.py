"""docs/benchmarks.md, written from bench/results/*.json (never by hand below its marker line).

Everything above the marker is a hand-written introduction that is kept as it is.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
MARKER = (
    "<!-- Everything below is written by `python -m bench.run`; edit the tool, not the text. -->"
)
DEFAULT_INTRO = """# Benchmarks

How fast, how big, at what cost: `bench/` measures the hub under gunicorn with production settings
against the floor (the same SQL through the database driver, Python's csv module plus one bulk insert
for imports, a raw cursor written with csv for exports) in the same run, on the same machine. Absolute
times drift on a shared machine; the ratio hub/floor is the headline figure.

Run it: `make bench` (size S on SQLite) or `make bench SIZE=M DB=postgres`. Results land in
`bench/results/<date>-<size>-<db>.json` and in the tables below.
"""

SIZES = ["XS", "S", "M"]
SIZE_ROWS = {"XS": 400, "S": 20_000, "M": 200_000}  # partnerships: the scale factor between sizes


def latest() -> dict[tuple[str, str], dict[str, Any]]:
    """The newest results file for each size and database."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        key = (data.get("size", "?"), data.get("db", "?"))
        if key[0] == "XS":
            continue
        data["_file"] = path.name
        if key not in found or data.get("started", "") >= found[key].get("started", ""):
            found[key] = data
    return found


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text}{unit}"


def verdict_text(result: dict[str, Any]) -> str:
    parts = []
    for t in result.get("targets", []):
        mark = t["verdict"]
        scope = "" if t.get("applies", True) else " (target is for M)"
        value = t.get("value")
        shown = (
            f" ({fmt(value)})"
            if value is not None and t["metric"] not in ("fixed_queries",)
            else ""
        )
        parts.append(f"**{mark}**{shown}: {t['text']} [{t['source']}]{scope}")
    return "<br>".join(parts) if parts else "no target stated"


def queries(summary: dict[str, Any]) -> str:
    q = summary.get("queries_per_request")
    if not q:
        return "–"
    return str(q["min"]) if q["min"] == q["max"] else f"{q['min']}–{q['max']}"


def row(result: dict[str, Any]) -> str:
    name = f"{result['title']} (`{result['name']}`)"
    status = result["status"]
    if status == "skipped":
        return (
            f"| {name} | {result.get('reason', 'skipped')} | | | | | | | {verdict_text(result)} |"
        )
    if result.get("kind") in ("import", "export"):
        hub, floor = result.get("hub", {}), result.get("floor", {})
        if hub.get("timed_out"):
            figures = f"stopped after {fmt(hub.get('seconds'), ' s')}, unfinished"
        else:
            figures = (
                f"{fmt(hub.get('seconds'), ' s')} for {fmt(hub.get('rows'))} rows "
                f"({fmt(hub.get('rows_per_s'))} rows/s)"
            )
        memory = (
            "not measured"
            if hub.get("memory_growth_mb") is None
            else f"+{fmt(hub.get('memory_growth_mb'), ' MB')}"
        )
        floor_text = (
            f"{fmt(floor.get('seconds'), ' s')}, +{fmt(floor.get('memory_growth_mb'), ' MB')}"
        )
        err = f" **error**: {result.get('reason', '')}" if status == "error" else ""
        return (
            f"| {name} | {figures}{err} | – | – | – | {memory} | {floor_text} | "
            f"{'≥ ' if hub.get('timed_out') else ''}{fmt(result.get('ratio_seconds'))}× | "
            f"{verdict_text(result)} |"
        )
    hub, floor = result.get("hub", {}), result.get("floor", {})
    figures = f"{fmt(hub.get('p50_ms'))} / {fmt(hub.get('p95_ms'))} / {fmt(hub.get('p99_ms'))} ms"
    if result.get("writes"):
        w = result["writes"]
        figures += (
            f"<br>writes: {fmt(w.get('p50_ms'))} / {fmt(w.get('p95_ms'))} / "
            f"{fmt(w.get('p99_ms'))} ms, {fmt(w.get('rps'))}/s"
        )
    err = ""
    if status == "error":
        err = f"<br>**error** ({fmt(hub.get('errors'))} bad answers): {result.get('reason', '')}"
    floor_text = f"{fmt(floor.get('p50_ms'))} / {fmt(floor.get('p95_ms'))} ms"
    return (
        f"| {name} | {figures}{err} | {fmt(hub.get('rps'))} | {fmt(hub.get('errors'))} | "
        f"{queries(hub)} | {fmt(hub.get('peak_rss_mb'), ' MB')} | {floor_text} | "
        f"{fmt(result.get('ratio_p50'))}× | {verdict_text(result)} |"
    )


HEADER = (
    "| scenario | hub p50 / p95 / p99 | req/s | errors | queries/req | server peak RSS "
    "(files: growth) | floor p50 / p95 | hub/floor (p50) | target |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def _load(env: dict[str, Any]) -> str:
    start, end = env.get("load_average_at_start"), env.get("load_average_at_end")
    if not start or not end:
        return "not recorded"
    return f"{start[0]:.1f} at the start, {end[0]:.1f} at the end"


def wall_time(env: dict[str, Any]) -> str:
    """The run's total wall time, and whether it paid for generating the dataset."""
    total = env.get("wall_seconds")
    if total is None:
        return "Run wall time: not recorded."
    prepare = env.get("prepare_seconds")
    if env.get("generated_in_run"):
        how = f"including generating the dataset ({fmt(prepare, ' s')})"
    else:
        generated = env.get("dataset", {}).get("seconds")
        how = (
            f"with the dataset reused (checked in {fmt(prepare, ' s')}; "
            f"generating it took {fmt(generated, ' s')} when it was made)"
        )
    budget = env.get("budget_s")
    limit = f"; budget {fmt(budget / 60, ' min')}" if budget else ""
    return f"Run wall time: {fmt(total / 60, ' min')} {how}{limit}."


def table(report: dict[str, Any]) -> str:
    env = report.get("environment", {})
    dataset = env.get("dataset", {}).get("counts", {})
    lines = [
        f"### Size {report['size']} on {report['db']} ({report.get('started', report['date'])})",
        "",
        f"Dataset: {', '.join(f'{fmt(v)} {k}' for k, v in dataset.items())}. "
        f"Database: {env.get('database', '?')}. Server: gunicorn {env.get('gunicorn', '?')}, "
        f"production settings. Load: {env.get('loadgen', '?')}, {env.get('concurrency', '?')} "
        f"connections, {env.get('duration_s', '?')} s per scenario and per floor, on {env.get('cpus', '?')} "
        f"shared cores (load average {_load(env)}). "
        f"{wall_time(env)} File: `bench/results/{report.get('_file', '')}`.",
        "",
        HEADER,
    ]
    lines += [row(r) for r in report["scenarios"]]
    from bench.scenarios import all_scenarios

    ran = {r["name"] for r in report["scenarios"]}
    lines += [
        f"| {sc.title} (`{sc.name}`) | not run in this run (left out with --scenarios) "
        f"| | | | | | | {'<br>'.join(t.text for t in sc.targets) or 'no target stated'} |"
        for sc in all_scenarios().values()
        if sc.name not in ran and report.get("size") != "XS"
    ]
    notes = [f"- `{r['name']}`: {note}" for r in report["scenarios"] for note in r.get("notes", [])]
    if notes:
        lines += ["", "Notes from the run:", "", *notes]
    return "\n".join(lines)


def growth_exponent(small: float, large: float, factor: float) -> float:
    return math.log(large / small) / math.log(factor) if small > 0 and large > 0 else 0.0


def _stopped(result: dict[str, Any]) -> bool:
    hub = result.get("hub", {})
    return bool(hub.get("timed_out") or hub.get("stopped_after_s"))


def scale_notes(found: dict[tuple[str, str], dict[str, Any]]) -> str:
    lines = ["## Scale notes", ""]
    pairs = [
        db for db in ("sqlite", "postgres", "mariadb") if ("S", db) in found and ("M", db) in found
    ]
    if not pairs:
        lines += [
            "No database has both an S and an M run yet, so growth from S to M is not computed. "
            "Run `make bench SIZE=M DB=postgres` after `make bench DB=postgres`.",
            "",
        ]
    factor = SIZE_ROWS["M"] / SIZE_ROWS["S"]
    for db in pairs:
        small = {r["name"]: r for r in found[("S", db)]["scenarios"]}
        large = {r["name"]: r for r in found[("M", db)]["scenarios"]}
        lines += [
            f"### {db}: from S to M ({factor:.0f}× the rows) and projected to 10× M",
            "",
            "The projection assumes each figure keeps growing with the data as it did from S to M "
            "(p50 ∝ rows^k, k measured); figures that did not grow are projected flat. Imports and "
            "exports compare seconds; ≥ marks a bounded run that was stopped before the end (a "
            "lower bound, not a measurement).",
            "",
            "| scenario | p50 at S | p50 at M | growth S→M | k | projected p50 at 10× M |",
            "|---|---|---|---|---|---|",
        ]
        for name, s in small.items():
            m = large.get(name)
            if not m or s["status"] != "measured" or m["status"] != "measured":
                continue
            key = "seconds" if s.get("kind") in ("import", "export") else "p50_ms"
            unit = " s" if key == "seconds" else " ms"
            a, b = s.get("hub", {}).get(key), m.get("hub", {}).get(key)
            if not a or not b:
                continue
            k = max(0.0, growth_exponent(a, b, factor))
            projected = b * (10**k)
            # A bounded run stopped before the end: its time, growth and projection are lower
            # bounds, shown with "≥" rather than as measured figures.
            low = "≥ " if _stopped(m) else ""
            lines.append(
                f"| {s['title']} | {'≥ ' if _stopped(s) else ''}{fmt(a, unit)} | {low}"
                f"{fmt(b, unit)} | {low}{b / a:.1f}× | {low}{k:.2f} | {low}{fmt(projected, unit)} |"
            )
        lines.append("")
    lines += advice(found)
    return "\n".join(lines)


def _facts(found: dict[tuple[str, str], dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The code facts recorded by the newest run, and by the newest PostgreSQL run."""
    runs = sorted(found.values(), key=lambda r: r.get("started", ""))
    recorded = [r for r in runs if r.get("environment", {}).get("facts")]
    newest = recorded[-1]["environment"]["facts"] if recorded else {}
    postgres = [r for r in recorded if r.get("db") == "postgres"]
    return newest, (postgres[-1]["environment"]["facts"] if postgres else {})


def _where(backend: str) -> str:
    name = backend.rsplit(".", 1)[-1].lower()
    if not backend:
        return "not recorded"
    if "redis" in name or "memcache" in name:
        return f"a shared cache server (`{backend.rsplit('.', 1)[-1]}`)"
    if "locmem" in name or "file" in name or "dummy" in name:
        return f"each process or machine (`{backend.rsplit('.', 1)[-1]}`)"
    return f"the database (`{backend.rsplit('.', 1)[-1]}`)"


def advice(found: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    """What to change first, from what the newest run recorded about the code (never assumed)."""
    facts, pg = _facts(found)
    lines = ["### What to change first when a deployment outgrows one machine", ""]
    if not facts:
        # Results from before the runner recorded the set-up: advice that holds either way.
        return [
            *lines,
            "The newest results do not record the build's cache, session and search set-up, so "
            "this advice is conditional; a new run states it for the build it measured.",
            "",
            "1. **Move from SQLite to PostgreSQL** as soon as several people write at once: SQLite "
            "serializes writers, PostgreSQL does not.",
            "2. **Give the database its own machine** and keep the web processes stateless "
            "(sessions, cache and tasks in shared services, never in one process); add gunicorn "
            "workers on as many web machines as the load needs.",
            "3. **If the cache lives in the database** (`DatabaseCache`), move it to memcached or "
            "Redis once cached pages dominate: each cached chart is one SELECT on the cache table.",
            "4. **Read replicas** for the list pages, the mapping page, the API and exports.",
            "5. **Indexes before hardware**: if the text search (`q`) has no trigram (`pg_trgm`) "
            "or full-text index on your database, it scans with `LIKE '%…%'` and grows with the "
            "registry. The tables above show which scenarios grow fastest.",
            "",
        ]
    cache = facts.get("cache_backend", "")
    cache_name = cache.rsplit(".", 1)[-1]
    sessions = facts.get("session_engine", "")
    session_where = (
        "the cache"
        if sessions.endswith(".cache")
        else "signed cookies"
        if sessions.endswith("signed_cookies")
        else "files on each machine"
        if sessions.endswith(".file")
        else "the database"
    )
    local = [
        what
        for what, where in (
            ("the cache", _where(cache)),
            ("the sessions", session_where),
        )
        if where.startswith(("each process", "files"))
    ]
    lines.append(
        "1. **Move from SQLite to PostgreSQL** as soon as several people write at once: SQLite "
        "serializes writers (compare the mixed scenario's write latency on both), PostgreSQL does "
        "not."
    )
    stateless = (
        "they already are: " if not local else f"they are not yet ({', '.join(local)} stay local); "
    )
    lines.append(
        "2. **Give the database its own machine** and keep the web processes stateless ("
        f"{stateless}sessions in {session_where}, the cache in {_where(cache)}, tasks in "
        f"`{facts.get('tasks_backend', '?').rsplit('.', 2)[-2] or '?'}`); add gunicorn workers "
        "(about two per core) on as many web machines as the load needs, behind any proxy."
    )
    if "DatabaseCache" in cache_name:
        lines.append(
            "3. **Move the cache out of the database** (a memcached or Redis cache backend) once "
            "cached pages dominate: with `DatabaseCache`, every cached chart is still one SELECT "
            "on the cache table."
        )
    elif _where(cache).startswith("a shared"):
        lines.append(
            f"3. **Give the cache server (`{cache_name}`) its own memory budget**: cached pages "
            "and charts no longer touch the database, so the cache's size and eviction now "
            "decide how often they are rebuilt."
        )
    else:
        lines.append(
            f"3. **Use a shared cache** (Redis or memcached): `{cache_name}` keeps one cache per "
            "process, so each worker rebuilds every chart once and invalidation does not reach "
            "the others."
        )
    lines.append(
        "4. **Read replicas** for the list pages, the mapping page, the API and exports: they only "
        "read."
    )
    indexed = pg.get("text_search_index")
    if indexed:
        lines.append(
            "5. **Indexes before hardware**: on PostgreSQL the text search (`q`) already uses a "
            "trigram or full-text index (found by the newest PostgreSQL run); the text-search "
            "row's growth from S to M shows whether the other databases keep up. The tables above "
            "show which scenarios grow fastest: index or summarize those first."
        )
    else:
        lines.append(
            "5. **Indexes before hardware**: the text search (`q`) scans titles and descriptions "
            "with `LIKE '%…%'`"
            + (" (no trigram or full-text index found by the newest PostgreSQL run)" if pg else "")
            + "; a trigram index (PostgreSQL `pg_trgm`) or a full-text index keeps it flat as the "
            "registry grows. The tables above show which scenarios grow fastest."
        )
    lines.append("")
    return lines


def render() -> str:
    found = latest()
    parts = [MARKER, "", "## Results", ""]
    parts += [
        "Each row: the hub's latency percentiles under load (only answers with status 200 and the "
        "expected content count; any other answer makes the row an **error**), requests per second, "
        "bad answers, SQL queries per request (counted on the server), the server's peak resident "
        "memory (gunicorn master and workers), the floor's latency for the same statements through "
        "the driver, their ratio (medians), and each target from the issues with its verdict, "
        "computed by the tool. A scenario whose feature is missing is marked "
        '"not available in this build".',
        "",
    ]
    order = [(s, d) for s in SIZES for d in ("sqlite", "postgres", "mariadb")]
    for key in order:
        if key in found:
            parts += [table(found[key]), ""]
    if not found:
        parts += ["No results yet.", ""]
    parts.append(scale_notes(found))
    return "\n".join(parts)


def write_docs() -> Path:
    intro = DEFAULT_INTRO
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if MARKER in text:
            intro = text.split(MARKER)[0].rstrip() + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(intro + "\n" + render(), encoding="utf-8")
    return DOC


if __name__ == "__main__":
    print(write_docs())
