"""Import and export scenarios (issue 4): time and memory growth against the floor.

Imports run in a fresh process each (so its peak memory is its own), inside a transaction that is
rolled back afterwards, so the dataset stays as generated:
- hub: `hub.imports.engine.import_file` on a 100,000-row CSV or XLSX file;
- floor: Python's csv module (or openpyxl's read-only parse) plus one bulk insert of the same rows
  through the database driver.

Exports: the hub streams the whole contribution list over HTTP (the server's memory is sampled from
/proc); the floor runs the same SQL on a raw driver cursor and writes it with the csv module, in a
fresh process.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.scenarios import Context, Target, Unavailable, scenario

IMPORT_ROWS = 100_000
IMPORT_BUDGET = float(os.environ.get("BENCH_IMPORT_BUDGET", "240"))
EXPORT_BUDGET = float(os.environ.get("BENCH_EXPORT_BUDGET", "180"))
EXPORT_FLOOR_S = 40.0  # about what the export's floor takes at M
RUN_BUDGET_NOTE = ", so that the whole run keeps its time budget"
IMPORT_RATIO = Target("ratio_seconds", 1.5, "≤ 1.5× the floor's time", "issue 4")
IMPORT_MEMORY = Target("growth_mb", 150, "peak memory growth < 150 MB", "issue 4")
EXPORT_MEMORY = Target("growth_mb", 30, "memory growth < 30 MB (1,000,000 rows at M)", "issue 4")
HEADER = ["Date", "Donor", "Category", "Description", "Quantity", "Unit", "Value", "Currency",
          "Valuation method"]  # fmt: skip
STAFF = "bench-staff"
MB = 1024 * 1024


def _reset_peak() -> int:
    """Reset this process's peak RSS (Linux: clear_refs 5) and return the current RSS."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _peak() -> int:
    return max(_status("VmHWM"), _status("VmRSS"))


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- the files ------------------------------------------------------------------------------------


def _receiver() -> tuple[Any, Any]:
    """The busiest lead organization and its bench editor (who may import for it)."""
    from hub.accounts.models import Membership

    membership = (
        Membership.objects.filter(user__username="bench-editor-1").select_related("user").first()
    )
    if membership is None:
        raise RuntimeError("the dataset has no bench-editor-1")
    return membership.organization, membership.user


def _rows(count: int) -> list[list[Any]]:
    import random

    from hub.directory.models import Organization
    from hub.funding.models import Category, Unit, ValuationMethod

    rng = random.Random(count)
    names = list(
        Organization.objects.external()
        .exclude(name__contains=",")
        .order_by("pk")
        .values_list("name", flat=True)[:3000]
    )
    # Donor names must match exactly one organization, as in a file that imports cleanly.
    from django.db.models import Count

    unique = set(
        Organization.objects.filter(name__in=names)
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values_list("name", flat=True)
    )
    names = [n for n in names if n in unique]
    categories = [(c.value, str(c.label)) for c in Category]
    units = {"volunteer_time": Unit.HOURS, "venue_space": Unit.DAYS}
    methods = [str(m.label) for m in ValuationMethod]
    rows = []
    for i in range(count):
        code, label = categories[i % len(categories)]
        unit = units.get(code)
        rows.append(
            [
                datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 700),
                rng.choice(names),
                label,
                f"Row {i + 1}: {rng.choice(['Räume', 'Кейтеринг', 'قاعة', 'स्थान', '会場'])} {i}",
                rng.randint(1, 80) if unit else None,
                str(unit.label) if unit else "",
                Decimal(rng.randint(100, 500_000)) / 100,
                rng.choice(["EUR", "EUR", "USD", "CHF"]),
                rng.choice(methods),
            ]
        )
    return rows


def make_files(work: Path, count: int) -> dict[str, Path]:
    """The CSV and XLSX files of `count` rows (written once per dataset, then reused)."""
    work.mkdir(parents=True, exist_ok=True)
    paths = {"csv": work / f"import-{count}.csv", "xlsx": work / f"import-{count}.xlsx"}
    if all(p.exists() for p in paths.values()):
        return paths
    rows = _rows(count)
    with paths["csv"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [
                    v.isoformat() if isinstance(v, datetime.date) else ("" if v is None else v)
                    for v in row
                ]
            )
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contributions")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    book.save(paths["xlsx"])
    return paths


# --- in the child process -------------------------------------------------------------------------


def measure(work: Callable[[], tuple[int, bool, str]]) -> dict[str, Any]:
    """Time and peak memory growth of `work` (which returns rows, ok, problem) in this process,
    inside a transaction rolled back afterwards so that the dataset stays as generated. Run it in
    a fresh child process (`run_child`), so that the peak is the work's own."""
    from django.db import transaction

    before = _reset_peak()
    started = time.perf_counter()
    with transaction.atomic():
        rows, ok, problem = work()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "rows": rows,
        "memory_growth_mb": round(max(0, _peak() - before) / MB, 1),
        "ok": ok,
        "problem": problem,
    }


def child_import(mode: str, path: str) -> dict[str, Any]:
    organization, actor = _receiver()

    def work() -> tuple[int, bool, str]:
        if mode != "hub":
            return floor_import(path, organization), True, ""
        from hub.imports.engine import import_file

        result = import_file(path, organization, actor)
        ok = bool(result.imported) and not result.problem_count and not result.fatal
        problem = (
            "" if ok else f"import refused: {result.fatal[:2]} {result.problem_count} problems"
        )
        if ok and result.created == 0:
            ok, problem = False, "import wrote no rows"
        return result.created, ok, problem

    return measure(work)


def _parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def floor_import(path: str, organization: Any) -> int:
    """Parse with csv (or openpyxl read-only) and insert every row with one executemany."""
    from django.db import connection

    from hub.directory.models import Organization
    from hub.funding.models import Category, InKindContribution, Unit, ValuationMethod

    donors = dict(Organization.objects.values_list("name", "pk"))
    categories = {str(c.label): c.value for c in Category}
    units = {str(u.label): u.value for u in Unit}
    methods = {str(m.label): m.value for m in ValuationMethod}
    now = datetime.datetime.now(datetime.UTC)
    if path.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        source: Any = book.active.iter_rows(values_only=True)  # type: ignore[union-attr]
    else:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        source = csv.reader(handle)
    next(source)
    vendor = connection.vendor
    records = []
    for date, donor, category, description, quantity, unit, value, currency, method in source:
        day = _parse_date(date)
        records.append(
            (
                organization.pk,
                donors[donor],
                "",
                day.isoformat() if vendor == "sqlite" else day,
                categories[category],
                description,
                str(quantity) if quantity not in (None, "") else None,
                units.get(unit or "", ""),
                str(Decimal(str(value))),
                currency,
                methods[method],
                "given",
                False,
                False,
                1,
                now.isoformat() if vendor == "sqlite" else now,
                now.isoformat() if vendor == "sqlite" else now,
                "",
                "",
                "",
            )
        )
    fields = ["receiving_organization", "donor_organization", "donor_name", "date", "category",
              "description", "quantity", "unit", "value", "currency", "valuation_method",
              "value_source", "confidential", "archived", "version", "created_at", "updated_at",
              "evidence_url", "evidence_file", "acknowledgement"]  # fmt: skip
    return bulk_insert(InKindContribution, fields, records)


def bulk_insert(model: Any, fields: list[str], records: list[tuple[Any, ...]]) -> int:
    """The floor's bulk insert: multi-row INSERTs of 1,000 rows, as bulk_create writes them, minus
    the ORM. Values come ready for the driver (dates as ISO text on SQLite)."""
    from django.db import connection

    meta: Any = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(records), 1000):
            batch = records[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(batch))}",
                [value for record in batch for value in record],
            )
    return len(records)


def child_export(statements_path: str) -> dict[str, Any]:
    """The floor of an export: the captured SQL on a raw cursor, every row written with csv."""
    from bench.floor import Raw

    with open(statements_path, "rb") as handle:
        statements = pickle.load(handle)  # noqa: S301 - written by the runner a moment ago
    raw = Raw()
    before = _reset_peak()
    started = time.perf_counter()

    class Sink:
        size = 0

        def write(self, text: str) -> int:
            self.size += len(text.encode())
            return len(text)

    sink = Sink()
    writer = csv.writer(sink)
    rows = 0
    for statement in statements:
        if raw.vendor == "postgresql":
            # A server-side cursor, declared WITH HOLD in autocommit mode as Django declares its own.
            cursor = raw.conn.cursor(name="bench_export", withhold=True)
            cursor.itersize = 2000
        elif raw.vendor == "mysql":
            import pymysql.cursors

            cursor = raw.conn.cursor(pymysql.cursors.SSCursor)
        else:
            cursor = raw.conn.cursor()
        if statement.params is None:
            cursor.execute(statement.sql)
        else:
            cursor.execute(raw.sql(statement), statement.params)
        if cursor.description is not None:
            for row in cursor:
                writer.writerow(row)
                rows += 1
        cursor.close()
    seconds = time.perf_counter() - started
    raw.close()
    return {
        "seconds": seconds,
        "rows": rows,
        "bytes": sink.size,
        "memory_growth_mb": round(max(0, _peak() - before) / MB, 1),
        "ok": True,
        "problem": "",
    }


def run_child(
    args: list[str], timeout: float = 1800, module: str = "bench.scenarios.files"
) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter with the runner's environment: `python -m
    module *args`, whose main prints the measurement as one "RESULT {json}" line."""
    root = Path(__file__).resolve().parent.parent.parent
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"ok": True, "timed_out": True, "seconds": timeout, "problem": ""}
    line = next((x for x in completed.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        return {"ok": False, "problem": (completed.stderr or completed.stdout)[-400:]}
    return json.loads(line[len("RESULT ") :])


def _file_result(
    hub: dict[str, Any], floor: dict[str, Any], targets: list[Target], size: str
) -> dict:
    from bench.run import ratio, verdicts

    for side in (hub, floor):
        if side.get("seconds"):
            side["seconds"] = round(side["seconds"], 2)
            side["rows_per_s"] = round(side.get("rows", 0) / side["seconds"], 1)
    ok = hub.get("ok") and floor.get("ok")
    result: dict[str, Any] = {
        "status": "measured" if ok else "error",
        "hub": hub,
        "floor": floor,
        "ratio_seconds": ratio(hub.get("seconds"), floor.get("seconds")),
    }
    if not ok:
        result["reason"] = (hub.get("problem") or floor.get("problem") or "")[:300]
    figures = {"ratio_seconds": result["ratio_seconds"], "growth_mb": hub.get("memory_growth_mb")}
    result["targets"] = verdicts(targets, figures, size)
    if not ok:
        for target in result["targets"]:
            target["verdict"] = "error"
    return result


def _import(ctx: Context, fmt: str) -> dict[str, Any]:
    try:
        from hub.imports.engine import import_file  # noqa: F401
    except ImportError as exc:
        raise Unavailable("the spreadsheet import is not in this build") from exc
    count = 300 if ctx.quick else IMPORT_ROWS
    paths = make_files(Path(ctx.work_dir) / f"files-{ctx.size}", count)
    result = measure_import(ctx, str(paths[fmt]), targets=[IMPORT_RATIO, IMPORT_MEMORY])
    result["notes"].insert(
        0, f"{count:,} rows from {fmt.upper()}, rolled back after each measurement"
    )
    return result


def measure_import(
    ctx: Context,
    path: str,
    *,
    targets: list[Target],
    module: str = "bench.scenarios.files",
    hub_missing: str = "",
) -> dict[str, Any]:
    """An import scenario's result: the floor, then the hub, each in a child process of `module`
    (`import floor PATH`, `import hub PATH`), the hub bounded by time. With `hub_missing` the hub
    side is not run and the result is an error saying so (the floor is still measured)."""
    floor = run_child(["import", "floor", path], module=module)
    # Bounded: an import far slower than its target is stopped, and its ratio is a lower bound.
    floor_seconds = floor.get("seconds", 0)
    # Past 1.6x the floor a stopped import has already missed its 1.5x target.
    budget = max(60.0, min(IMPORT_BUDGET, 20 * floor_seconds), 1.6 * floor_seconds)
    budget, by_run = ctx.bound(budget)
    if hub_missing:
        hub: dict[str, Any] = {"ok": False, "problem": hub_missing}
    else:
        hub = run_child(["import", "hub", path], timeout=budget, module=module)
    result = _file_result(hub, floor, targets, ctx.size)
    result["notes"] = []
    if hub.get("timed_out"):
        result["notes"].append(
            f"the hub's import was stopped after {budget:.0f} s without finishing"
            f"{RUN_BUDGET_NOTE if by_run else ''}: its time and ratio are lower bounds, its "
            f"memory growth was not measured"
        )
        for target in result["targets"]:
            # A stopped import never meets a target: its ratio is only a lower bound.
            if target["metric"] == "growth_mb" or target["verdict"] == "met":
                target["verdict"] = "not measured"
    return result


@scenario("import_csv", "Import 100,000 rows from CSV", kind="import",
          targets=[IMPORT_RATIO, IMPORT_MEMORY], group="funding")  # fmt: skip
def import_csv(ctx: Context) -> dict[str, Any]:
    return _import(ctx, "csv")


@scenario("import_xlsx", "Import 100,000 rows from XLSX", kind="import",
          targets=[IMPORT_RATIO, IMPORT_MEMORY], group="funding")  # fmt: skip
def import_xlsx(ctx: Context) -> dict[str, Any]:
    return _import(ctx, "xlsx")


class _Stop(Exception):
    """Ends a bounded download."""


def _staff() -> Any:
    from django.contrib.auth.hashers import make_password

    from bench.generate import BENCH_PASSWORD
    from hub.accounts.models import User

    user, _created = User.objects.get_or_create(
        username=STAFF, defaults={"is_staff": True, "password": make_password(BENCH_PASSWORD)}
    )
    return user


def _export(ctx: Context, fmt: str) -> dict[str, Any]:
    return measure_export(
        ctx, "funding:contribution_export", fmt, feature="the contribution export",
        targets=[EXPORT_MEMORY],
    )  # fmt: skip


def measure_export(
    ctx: Context,
    url_name: str,
    fmt: str,
    *,
    feature: str,
    targets: list[Target],
    capture_chunks: int | None = 5,
    rows: int | None = None,
) -> dict[str, Any]:
    """An export scenario's result: the whole download of `url_name`?format=`fmt` by a staff
    user (who sees every row) from the server, its memory sampled, against the floor (the SQL the
    export runs, captured in-process from its first `capture_chunks` chunks, None: all of them,
    replayed on a raw cursor and written with csv in a child process). `rows`: the records the
    file holds, when known (a CSV's are counted by its lines, else the floor's rows are shown)."""
    from django.urls import NoReverseMatch, reverse

    from bench.floor import capture
    from bench.generate import BENCH_PASSWORD
    from bench.loadgen import Client
    from bench.run import login
    from bench.server import MemorySampler

    try:
        path = reverse(url_name) + f"?format={fmt}"
    except NoReverseMatch as exc:
        raise Unavailable(f"{feature} is not in this build") from exc
    user = _staff()
    client = Client(ctx.port, timeout=1800)
    login(client, STAFF, BENCH_PASSWORD)
    received = {"bytes": 0, "lines": 0}
    # The floor (a raw cursor over the same rows) runs after the download: leave it time.
    limit, by_run = ctx.bound(EXPORT_BUDGET, reserve=EXPORT_FLOOR_S)
    deadline = time.perf_counter() + limit
    stopped = False

    def count(chunk: bytes) -> None:
        nonlocal stopped
        received["bytes"] += len(chunk)
        received["lines"] += chunk.count(b"\n")
        if time.perf_counter() > deadline:
            stopped = True
            raise _Stop

    with MemorySampler(ctx.server) as memory:
        started = time.perf_counter()
        try:
            status, _headers, _body = client.send("GET", path, stream_to=count)
        except _Stop:
            status = 200
        seconds = time.perf_counter() - started
    client.close()
    ok = status == 200 and received["bytes"] > 0
    hub = {
        "seconds": seconds,
        "rows": max(0, received["lines"] - 1) if fmt == "csv" else None,
        "bytes": received["bytes"],
        "memory_growth_mb": round(memory.growth / MB, 1),
        "peak_rss_mb": round(memory.peak / MB, 1),
        "ok": ok,
        "problem": "" if ok else f"status {status}, {received['bytes']} bytes",
    }
    # the first chunks are the BOM, the header, then rows
    captured = capture(path, user=user, stream_chunks=capture_chunks)
    statements_path = Path(ctx.work_dir) / "export-statements.pickle"
    with statements_path.open("wb") as handle:
        pickle.dump(captured.statements, handle)
    floor = run_child(["export", str(statements_path)])
    if fmt != "csv" and (rows is not None or floor.get("rows")):
        hub["rows"] = rows if rows is not None else floor["rows"]
    result = _file_result(hub, floor, targets, ctx.size)
    if stopped:
        hub["stopped_after_s"] = round(limit, 1)
        result["ratio_seconds"] = None
    result["notes"] = [
        *(
            [
                f"the download was stopped after {limit:.0f} s (bounded run"
                f"{RUN_BUDGET_NOTE if by_run else ''}): it sent {received['lines']:,} lines; its "
                f"memory is the growth until then, and no time ratio is given"
            ]
            if stopped
            else []
        ),
        f"{fmt.upper()}: {received['bytes'] / MB:,.1f} MB streamed by the hub; the floor wrote "
        f"{floor.get('bytes', 0) / MB:,.1f} MB of CSV; hub memory is the server's RSS growth",
    ]
    return result


@scenario("export_csv", "Export every contribution as CSV", kind="export",
          targets=[EXPORT_MEMORY], group="funding")  # fmt: skip
def export_csv(ctx: Context) -> dict[str, Any]:
    return _export(ctx, "csv")


@scenario("export_xlsx", "Export every contribution as XLSX", kind="export",
          targets=[EXPORT_MEMORY], group="funding")  # fmt: skip
def export_xlsx(ctx: Context) -> dict[str, Any]:
    return _export(ctx, "xlsx")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    out = child_import(argv[1], argv[2]) if argv[0] == "import" else child_export(argv[1])
    print("RESULT " + json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
