"""The mixed load while a large import runs (issue #12: one import blocked every other write).

The mixed scenario's 2 readers and 3 writers (bench/scenarios/mixed.py) run for as long as an
import of the benchmark's 100,000-row CSV file runs in a process of its own, committing as the
background worker does (the import scenarios roll back instead). Every failed answer counts as
an error; the writers' p95 says how long a save waited behind the import. The rows the import
added are deleted afterwards, so the dataset stays as generated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.scenarios import Context, Target, Unavailable, scenario
from bench.scenarios.mixed import READERS, WRITERS, _prepare_load, _writer_targets, run_load

NO_ERRORS = Target("errors", 0, "no error while an import runs", "issue 12")
WRITE_P95 = Target("write_p95_ms", 2000, "write p95 < 2 s while an import runs", "issue 12")


@scenario(
    "mixed_import",
    "Mixed load while a 100,000-row import runs: 2 readers, 3 writers",
    kind="mixed",
    targets=[NO_ERRORS, WRITE_P95],
)
def mixed_import(ctx: Context) -> dict[str, Any]:
    from bench.run import mb, verdicts
    from bench.scenarios.files import IMPORT_ROWS, make_files

    try:
        from hub.imports.stage import ContributionStage  # noqa: F401
    except ImportError as exc:
        raise Unavailable("imports written in batches are not in this build") from exc
    writers = _writer_targets(WRITERS)
    if not writers:
        return {"status": "error", "reason": "no bench editors in the dataset"}
    prepared = _prepare_load(ctx, writers)
    if isinstance(prepared, dict):
        return prepared
    reads, signed_in = prepared
    count = 300 if ctx.quick else IMPORT_ROWS
    path = make_files(Path(ctx.work_dir) / f"files-{ctx.size}", count)["csv"]
    root = Path(__file__).resolve().parent.parent.parent
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.scenarios.mixed_import", str(path)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    read_result, write_result, elapsed, memory = run_load(
        ctx, reads, signed_in, lambda: child.poll() is None
    )
    out, err = child.communicate(timeout=60)
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    imported: dict[str, Any] = (
        json.loads(line[len("RESULT ") :]) if line else {"ok": False, "problem": err[-300:]}
    )
    _remove_imported(imported.get("entry"))
    hub = read_result.summary()
    hub.update(peak_rss_mb=mb(memory.peak), rss_growth_mb=mb(memory.growth))
    writes = write_result.summary()
    errors = read_result.errors + write_result.errors
    figures = {"errors": errors, "write_p95_ms": writes.get("p95_ms")}
    ok = imported.get("ok") and write_result.requests > 0
    result: dict[str, Any] = {
        "status": "measured" if ok and not errors else "error",
        "concurrency": READERS + len(writers),
        "hub": hub,
        "writes": writes,
        "floor": {},
        "import": imported,
        "targets": verdicts([NO_ERRORS, WRITE_P95], figures, ctx.size),
        "notes": [
            f"{len(writers)} writers saved {write_result.requests - write_result.errors} times "
            f"and {READERS} readers read {read_result.requests - read_result.errors} pages "
            f"while an import of {imported.get('created', 0):,} rows took "
            f"{imported.get('seconds', elapsed):.1f} s; {errors} errors"
        ],
    }
    if not ok:
        result["reason"] = imported.get("problem") or "no write was made"
    elif errors:
        problems = {**read_result.problems, **write_result.problems}
        result["reason"] = "; ".join(f"{k} (x{v})" for k, v in list(problems.items())[:4])
    return result


def _remove_imported(entry_id: int | None) -> None:
    """Delete what the import added (its contributions and its history entry)."""
    if entry_id is None:
        return
    from hub.core.models import HistoryEntry
    from hub.funding.models import InKindContribution

    InKindContribution.objects.filter(import_entry_id=entry_id).delete()
    HistoryEntry.objects.filter(pk=entry_id).delete()


def child_import(path: str) -> dict[str, Any]:
    """Import the file for the bench editor's organization, committing as the worker does."""
    from bench.scenarios.files import _receiver
    from hub.core.models import HistoryEntry
    from hub.imports.engine import import_file

    organization, actor = _receiver()
    started = time.perf_counter()
    result = import_file(path, organization, actor)
    seconds = time.perf_counter() - started
    entry = (
        HistoryEntry.objects.filter(object_id=organization.pk, action=HistoryEntry.Action.IMPORT)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    ok = bool(result.imported and result.created)
    return {
        "ok": ok,
        "seconds": round(seconds, 2),
        "created": result.created,
        "entry": entry if ok else None,
        "problem": "" if ok else "; ".join(result.messages()[:2]),
    }


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    print("RESULT " + json.dumps(child_import(sys.argv[1])))
