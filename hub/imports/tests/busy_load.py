"""A large import while three writers and two readers work, on a SQLite file of its own.

Run by test_import_busy.py in a process of its own (`python -m hub.imports.tests.busy_load DIR
ROWS`), after `manage.py migrate` on DIR/hub.sqlite3: the test database of pytest lives in memory,
where SQLite's locks do not behave as on a file. Prints one JSON object: the import's outcome,
the writes each writer made and the database holds, how many of them and of the sign-ins landed
while the import was writing (between its first and its last batch), and every error seen.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import django


def main(work: Path, count: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    from django.conf import settings

    # The password's hashing is not what is measured: a slow hash on a loaded machine would leave
    # no sign-in inside the import's few seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.db import connection
    from django.test import Client

    from hub.accounts.factories import MembershipFactory, UserFactory
    from hub.api.services import apitoken_create
    from hub.directory.factories import AffiliateFactory, OrganizationFactory
    from hub.directory.models import Organization
    from hub.directory.services import organization_create
    from hub.funding.models import InKindContribution
    from hub.imports import engine as importing

    affiliate: Any = AffiliateFactory(name="Wikimedia Testland", short_code="WMTL")
    OrganizationFactory(name="Testland Museum")
    importer = MembershipFactory(organization=affiliate, role="editor").user
    writers = [MembershipFactory(organization=affiliate, role="editor").user for _i in range(3)]
    reader: Any = UserFactory(username="reader")
    reader.set_password("a long password for the test")
    reader.save()
    _token, secret = apitoken_create(actor=reader, name="reads", scope="read")
    path = work / "large.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"])
        for i in range(count):
            out.writerow(["Testland Museum", "01.03.2024", "Verpflegung", f"K {i}", "10,00", "EUR"])
    connection.close()

    errors: list[str] = []
    written = [0, 0, 0]
    reads = [0]
    signed_in = [0]
    batches: list[tuple[int, int]] = []  # (writes, sign-ins) that had landed at each batch
    finished = threading.Event()
    outcome: dict = {}

    def guarded(work):
        def run(*args) -> None:
            try:
                work(*args)
            except Exception:
                errors.append(traceback.format_exc(limit=3))
            finally:
                connection.close()

        return run

    def progress(_rows: int) -> None:
        batches.append((sum(written), signed_in[0]))
        if len(batches) == 2:
            # Between two batches the lock is free: wait (a little, bounded) until the others have
            # taken a turn, so a loaded machine cannot make the import finish before they start.
            # Were the lock still held, nobody could, and the counts below would stay at zero.
            first_written, first_signed_in = batches[0]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and (
                signed_in[0] <= first_signed_in or sum(written) <= first_written
            ):
                time.sleep(0.05)

    @guarded
    def run_import() -> None:
        try:
            result = importing.run_import(
                path,
                organization=affiliate,
                actor=importer,
                write=True,
                batch_size=500,
                progress=progress,
            )
            outcome.update(created=result.created, fatal=result.messages()[:3])
        finally:
            finished.set()

    @guarded
    def write(n: int) -> None:
        # each writer adds organizations through the service, as the pages do
        while not finished.is_set():
            organization_create(
                actor=writers[n], name=f"Writer {n} #{written[n]}", kind=Organization.Kind.COMPANY
            )
            written[n] += 1
            time.sleep(0.02)  # a person's next save is not instant

    @guarded
    def read(n: int) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        while not finished.is_set():
            if n == 0:  # signing in saves a session and the last sign-in time
                if not client.login(username="reader", password="a long password for the test"):
                    errors.append("sign-in refused")
                signed_in[0] += 1
                client.logout()
            response = client.get(
                "/api/v1/contributions", headers={"Authorization": f"Bearer {secret}"}
            )
            if response.status_code != 200:
                errors.append(f"API read answered {response.status_code}")
            reads[0] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=run_import)]
    threads += [threading.Thread(target=write, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=read, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    landed = [
        Organization.objects.filter(name__startswith=f"Writer {n} #").count() for n in range(3)
    ]
    return {
        "import": outcome,
        "contributions": InKindContribution.objects.count(),
        "written": written,
        "landed": landed,
        "reads": reads[0],
        "batches": len(batches),
        "written_during_import": batches[-1][0] - batches[0][0] if batches else 0,
        "signed_in_during_import": batches[-1][1] - batches[0][1] if batches else 0,
        "errors": errors[:5],
    }


def held(work: Path) -> dict:
    """Another process holds the write lock past the busy timeout (made 0.3 s here) while a
    token reads the API: the read answers, its last-used time and rate-limit count wait."""
    import sqlite3

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.conf import settings

    settings.DATABASES["default"]["OPTIONS"]["timeout"] = 0.3
    django.setup()
    from django.db import connection
    from django.test import Client

    from hub.accounts.factories import UserFactory
    from hub.api.models import ApiToken
    from hub.api.services import apitoken_create

    reader: Any = UserFactory(username="reader")
    token, secret = apitoken_create(actor=reader, name="reads", scope="read")
    connection.close()
    other = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write lock, held until the reads are done
    try:
        client = Client(HTTP_HOST="127.0.0.1")
        auth = {"Authorization": f"Bearer {secret}"}
        statuses = [
            client.get("/api/v1/contributions", headers=auth).status_code for _i in range(3)
        ]
    finally:
        other.execute("ROLLBACK")
        other.close()
    return {
        "statuses": statuses,
        "last_used_at": str(ApiToken.objects.get(pk=token.pk).last_used_at),
    }


if __name__ == "__main__":
    if sys.argv[2] == "held":
        print(json.dumps(held(Path(sys.argv[1]))))
    else:
        print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]))))
