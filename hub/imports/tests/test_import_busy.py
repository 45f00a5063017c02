"""With a large import running, three writers and two readers (signing in, reading the API with a
token) see no error, every write lands, and writes land while the import is still writing: it
holds SQLite's write lock a batch at a time, never for the whole file (an import in one
transaction made every other writer wait for all of it, and fail after the busy timeout of 20 s
at 100,000 rows). Runs on a SQLite file in a process of its own (busy_load.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROWS = 6_000  # 12 batches of 500


def run_load(tmp_path, what: str) -> dict:
    """Migrate a SQLite file in tmp_path and run busy_load.py on it (`what`: rows, or "held")."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        "DEBUG": "1",
        "DATA_DIR": str(tmp_path),
    }
    python = [sys.executable]
    for command in (["migrate", "-v0"], ["createcachetable"]):
        # our own interpreter and manage.py, with fixed arguments
        subprocess.run(  # noqa: S603
            [*python, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    done = subprocess.run(  # noqa: S603
        [*python, "-m", "hub.imports.tests.busy_load", str(tmp_path), what],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_writers_and_readers_never_fail_while_a_large_import_runs(tmp_path):
    report = run_load(tmp_path, str(ROWS))
    assert report["errors"] == []
    assert report["import"] == {"created": ROWS, "fatal": []}
    assert report["contributions"] == ROWS
    assert report["landed"] == report["written"]
    assert min(report["written"]) > 0
    assert report["reads"] > 0
    assert report["batches"] > 10
    # the others took their turns between the import's batches, not after it
    assert report["written_during_import"] > 0
    assert report["signed_in_during_import"] > 0


def test_a_token_read_answers_while_another_process_holds_the_write_lock(tmp_path):
    # its last-used time and rate-limit count are writes the read can do without
    report = run_load(tmp_path, "held")
    assert report == {"statuses": [200, 200, 200], "last_used_at": "None"}
