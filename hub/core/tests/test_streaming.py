"""Long reads keep memory flat on every database: an export and an open-data dataset of more rows
than fit the memory a process is given, read in another process under that limit.

On MariaDB the driver would read the whole result into memory before the first row (what
`hub.core.streaming` avoids with an unbuffered cursor on a second connection, or keyset pages);
the child process's address space is capped at what it uses before the read plus `LIMIT_MB`, and
the file it writes is larger than that, so a buffered read ends in a MemoryError.
"""

import json
import os
import subprocess
import sys
from operator import itemgetter

import pytest
from django.conf import settings
from django.db import connection

from hub.core.streaming import pk_pages, stream_values
from hub.core.testing.processes import database_url
from hub.directory.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 80_000
LIMIT_MB = 32

CHILD = """
import json, resource, sys
import django
django.setup()
from hub.api.opendata.datasets import organization_rows
from hub.core.exporting import export_response
from hub.directory.exporting import ORGANIZATION_COLUMNS
from hub.directory.models import Organization

# The code paths run once on a few rows before the cap (their modules loaded, their caches warm).
first = list(Organization.objects.order_by("pk").values_list("pk", flat=True)[:10])
few = Organization.objects.filter(pk__in=first)
b"".join(export_response(few, ORGANIZATION_COLUMNS, "csv", "o").streaming_content)
next(organization_rows())
with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
cap = size + int(sys.argv[1]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))

response = export_response(Organization.objects.order_by("name"), ORGANIZATION_COLUMNS, "csv", "o")
written = sum(len(chunk) for chunk in response.streaming_content)
lines = 0
for _row in organization_rows():
    lines += 1
print(json.dumps({"bytes": written, "dataset_rows": lines}))
"""


def _fill(rows: int) -> None:
    long = "x" * 180
    Organization.objects.bulk_create(
        (
            Organization(
                name=f"Museum {n:06d} {long}",
                local_name=f"Museo {n:06d} {long}",
                website=f"https://museum-{n}.example.org/{long[:160]}",
                kind=Organization.Kind.MUSEUM,
                country="AT",
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )


def test_an_export_and_a_dataset_larger_than_the_memory_limit_stream_in_a_capped_process(
    tmp_path,
):
    _fill(ROWS)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "hub.settings",
        "DATABASE_URL": database_url(tmp_path),
    }
    child = subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", CHILD, str(LIMIT_MB)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["dataset_rows"] == ROWS
    # The file is larger than the whole memory the read was allowed: it cannot have been held.
    assert result["bytes"] > 1.2 * LIMIT_MB * 2**20


def test_streamed_rows_are_the_querysets_rows_in_its_order():
    _fill(4500)
    queryset = Organization.objects.order_by("-name").values_list("pk", "name")
    assert list(stream_values(queryset, 1000)) == list(queryset)


def test_pages_by_key_give_every_record_once_in_key_order_with_writes_between_pages():
    _fill(4500)
    expected = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    seen = []
    for pk, _name in pk_pages(Organization.objects.values_list("pk", "name"), 1000, itemgetter(0)):
        seen.append(pk)
        if len(seen) % 1000 == 0:  # a write on the same connection between two pages
            Organization.objects.filter(pk=pk).update(local_name="touched")
    assert seen == expected
    assert Organization.objects.filter(local_name="touched").count() == 4


def test_a_read_inside_a_transaction_sees_the_transactions_own_rows():
    from django.db import transaction

    with transaction.atomic():
        Organization.objects.create(name="Written in the transaction", kind="museum")
        names = [name for (name,) in stream_values(Organization.objects.values_list("name"), 10)]
    assert names == ["Written in the transaction"]
    assert connection.in_atomic_block is False
