"""Hostile workbooks read in a child process whose address space is capped 1 GB above what it
uses before reading: each must be refused with its message and a clean exit, not a MemoryError,
an abort (SIGABRT: calamine's failed allocation) or a kill. Both XLSX readers are tried: calamine
and openpyxl (which reads sheets of over CALAMINE_SHEET_BYTES of XML)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.core.tests.test_tabular import BOMBS, CORPUS, WORDS

ROOT = Path(__file__).resolve().parents[3]
CEILING = 1 << 30  # above the child's size once Django and both readers are loaded

CHILD = """
import resource, sys
import django
django.setup()
import openpyxl, python_calamine
from hub.core import tabular

path, reader, ceiling, words = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
if reader == "openpyxl":
    tabular.xlsx.CALAMINE_SHEET_BYTES = 0
with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + ceiling, size + ceiling))
try:
    table = tabular.open_table(path, header_words=words)
    rows = sum(1 for _row in table.rows())
except tabular.TabularError as exc:
    print(exc)
    sys.exit(2)
print(f"{rows} rows")
"""


def read_capped(name: str, reader: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings", "PYTHONPATH": str(ROOT)}
    env.setdefault("DEBUG", "1")
    return subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHILD, str(CORPUS / name), reader, str(CEILING), ",".join(WORDS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


# ODS has one reader
CASES = [
    (name, phrase, reader)
    for name, phrase in sorted(BOMBS.items())
    for reader in ("calamine", "openpyxl")
    if reader == "calamine" or name.endswith(".xlsx")
]


@pytest.mark.parametrize(("name", "phrase", "reader"), CASES)
def test_a_hostile_workbook_is_refused_within_the_memory_ceiling(name, phrase, reader):
    done = read_capped(name, reader)
    assert (done.returncode, done.stderr) == (2, "")
    assert phrase in done.stdout


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_an_ordinary_workbook_reads_within_the_same_ceiling(reader):
    done = read_capped("office.xlsx", reader)
    assert (done.returncode, done.stdout, done.stderr) == (0, "6 rows\n", "")
