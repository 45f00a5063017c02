"""The hub's backup archive: every model's rows as portable JSON lines plus every stored file.

One `.tar.gz` holds `manifest.json` first (format, hub version, migration state, database vendor,
each table's columns, row count and checksum, each file's size and checksum), then
`db/<model>.jsonl` (one JSON array per row, in primary-key order) and `media/<path>`. Rows are
read through Django's fields, so an archive made on SQLite restores on PostgreSQL or MariaDB;
they are read in pages of primary keys inside one read-only snapshot transaction, so the backup
is consistent, never holds a table in memory and never blocks the hub's writers.
`hub.core.restore` reads it back.
"""

import base64
import datetime
import decimal
import hashlib
import json
import os
import tarfile
import tempfile
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, router
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

from hub.core.streaming import pk_pages

FORMAT = "partnership-hub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAGE = 2000
CHUNK = 1024 * 1024
# Left behind in MEDIA_ROOT only by an interrupted restore; never part of a backup.
STAGING_PREFIXES = (".restore-", ".replaced-")
# A consistent read that takes no write lock (SQLite in WAL mode lets writers go on meanwhile).
SNAPSHOT_SQL = {
    "sqlite": ["BEGIN DEFERRED"],
    "postgresql": ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"],
    "mysql": [
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
    ],
}


class BackupError(Exception):
    """An archive cannot be made or used; the message says why, for the operator."""


def hub_version() -> str:
    try:
        pyproject = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
        return str(pyproject["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows the database holds: the hub's, Django's and the task queue's.

    The migration table and the cache table have no model: the first must already match (restore
    checks it), the second is rebuilt on demand.
    """
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and router.allow_migrate_model(connection.alias, model)
        ),
        key=lambda model: model._meta.label_lower,
    )


def stored_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.generated]


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def _encode(value: Any) -> Any:
    """Values JSON has no type for, as text each field's `to_python` reads back."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


_ENCODER = json.JSONEncoder(default=_encode, ensure_ascii=False, separators=(",", ":"))


def encode_row(row: tuple) -> bytes:
    return _ENCODER.encode(row).encode() + b"\n"


def table_rows(model: type[models.Model]) -> Iterator[tuple]:
    """The table's rows in primary-key order, one page of keys at a time (no table in memory)."""
    columns = [field.attname for field in stored_fields(model)]
    key_index = columns.index(model._meta.pk.attname)
    rows = model._base_manager.values_list(*columns)
    yield from pk_pages(rows, PAGE, key=itemgetter(key_index))


class Digest:
    """A writable sink that counts and hashes what passes through it to an optional file."""

    def __init__(self, target: IO[bytes] | None = None):
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.target = target

    def write(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)
        if self.target is not None:
            self.target.write(data)


def dump_table(model: type[models.Model], sink: Digest) -> int:
    count = 0
    for row in table_rows(model):
        sink.write(encode_row(row))
        count += 1
    return count


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One read-only transaction for the whole dump, opened by hand: Django's `atomic` would
    take SQLite's write lock (the hub's transactions are IMMEDIATE)."""
    if connection.in_atomic_block:
        raise BackupError(_("A backup cannot run inside another transaction."))
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for statement in SNAPSHOT_SQL[connection.vendor]:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT as (archive member, path), in a stable order."""
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        here = Path(directory)
        if here == root:
            subdirectories[:] = [d for d in subdirectories if not d.startswith(STAGING_PREFIXES)]
        subdirectories.sort()
        for name in sorted(files):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield "media/" + path.relative_to(root).as_posix(), path


def hash_file(path: Path) -> tuple[str, int]:
    digest = Digest()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.write(chunk)
    return digest.sha256.hexdigest(), digest.size


def _dump_database(workdir: Path) -> tuple[list[dict], list[str]]:
    tables = []
    with read_snapshot():
        migrations = applied_migrations()
        for model in backed_up_models():
            member = f"db/{model._meta.label_lower}.jsonl"
            with (workdir / member.replace("/", "_")).open("wb") as target:
                sink = Digest(target)
                rows = dump_table(model, sink)
            tables.append(
                {
                    "model": model._meta.label_lower,
                    "table": model._meta.db_table,
                    "columns": [field.attname for field in stored_fields(model)],
                    "rows": rows,
                    "member": member,
                    "size": sink.size,
                    "sha256": sink.sha256.hexdigest(),
                }
            )
    return tables, migrations


def _add_member(archive: tarfile.TarFile, member: str, path: Path, entry: dict) -> None:
    """Add a file, refusing one that changed since the manifest described it."""
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = entry["size"], int(path.stat().st_mtime), 0o600
    changed = BackupError(
        _("%(path)s changed while it was backed up; run the backup again.") % {"path": path}
    )
    try:
        with path.open("rb") as source:
            archive.addfile(info, source)
    except OSError as exc:  # shorter than when it was hashed, or gone
        raise changed from exc
    if hash_file(path) != (entry["sha256"], entry["size"]):
        raise changed


def backup_write(output: Path) -> dict:
    """Write the archive to `output` (through a temporary file beside it); return its manifest."""
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        workdir = Path(work)
        tables, migrations = _dump_database(workdir)
        files: list[dict[str, Any]] = []
        for member, path in media_files(media_root):
            sha256, size = hash_file(path)
            files.append({"member": member, "size": size, "sha256": sha256})
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "hub_version": hub_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "tables": tables,
            "files": files,
        }
        manifest_path = workdir / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = workdir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(manifest_path, MANIFEST)
            for table in tables:
                path = workdir / table["member"].replace("/", "_")
                _add_member(archive, table["member"], path, table)
            for entry in files:
                _add_member(archive, entry["member"], media_root / entry["member"][6:], entry)
        partial.chmod(0o600)  # password hashes and sessions: for the operator's eyes only
        os.replace(partial, output)
    return manifest
