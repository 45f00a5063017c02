"""Restore a backup archive (hub.core.backup) into the configured database and MEDIA_ROOT.

Everything is checked before anything changes: the manifest's format, its migration state against
the database's, its tables and columns against the models, and that the restore would replace
no data the archive does not hold (unless the operator says so). Then, in one transaction, every
table is emptied and reloaded from the archive while each member's checksum, size and row count is
verified and the files are written to a staging folder inside MEDIA_ROOT; only when all of it
matches are the files swapped in and the transaction committed. A damaged archive leaves the
database and the files as they were.
"""

import contextlib
import gzip
import itertools
import json
import secrets
import shutil
import tarfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from hub.core.backup import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    STAGING_PREFIXES,
    BackupError,
    Digest,
    applied_migrations,
    backed_up_models,
    dump_table,
    stored_fields,
)

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# What reading a damaged or truncated .tar.gz raises.
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)
# Written by `migrate` for every installed model: present in any database, rebuilt from the code.
MIGRATE_FILLS = {"contenttypes.contenttype", "auth.permission"}
PARSED = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
    "UUIDField",
    "DurationField",
    "BinaryField",
}


@dataclass
class Table:
    model: type[models.Model]
    entry: dict
    fields: list[models.Field]


@dataclass
class Plan:
    manifest: dict
    tables: dict[str, Table]
    files: dict[str, tuple[PurePosixPath, dict]]


def _damaged(detail: Any) -> BackupError:
    return BackupError(
        _("The archive is damaged or not a hub backup (%(detail)s); nothing was changed.")
        % {"detail": detail}
    )


def _read_manifest(archive: tarfile.TarFile, first: tarfile.TarInfo | None) -> dict:
    if first is None or first.name != MANIFEST or not first.isreg():
        raise _damaged(_("it does not begin with %(name)s") % {"name": MANIFEST})
    if first.size > MAX_MANIFEST_BYTES:
        raise _damaged(_("its manifest is larger than %(n)s bytes") % {"n": MAX_MANIFEST_BYTES})
    stream = archive.extractfile(first)
    try:
        manifest = json.load(stream)  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError) as exc:
        raise _damaged(_("its manifest is not JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(_("its manifest does not name the format %(format)s") % {"format": FORMAT})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("The archive is in backup format version %(found)r; this hub reads version %(ours)s.")
            % {"found": manifest.get("format_version"), "ours": FORMAT_VERSION}
        )
    return manifest


def _names(names: set[str]) -> str:
    shown = sorted(names)
    return ", ".join(shown[:5]) + (
        _(" and %(n)s more") % {"n": len(shown) - 5} if len(shown) > 5 else ""
    )


def _check_migrations(manifest: dict) -> None:
    archived, here = set(manifest["migrations"]), set(applied_migrations())
    if archived == here:
        return
    problems = []
    if archived - here:
        problems.append(
            _("it has %(names)s, not applied here") % {"names": _names(archived - here)}
        )
    if here - archived:
        problems.append(
            _("this database has %(names)s, which it lacks") % {"names": _names(here - archived)}
        )
    raise BackupError(
        _(
            "The archive was made at another migration state than this database's (%(problems)s). "
            "Restore it with the hub version that made it (%(version)s), into a database migrated "
            "to the same state; nothing was changed."
        )
        % {"problems": "; ".join(problems), "version": manifest.get("hub_version", "?")}
    )


def media_member_path(member: str) -> PurePosixPath:
    """The path under MEDIA_ROOT of an archive member, refusing any that could land outside it."""
    path = PurePosixPath(member)
    unsafe = (
        path.is_absolute()
        or str(path) != member
        or len(path.parts) < 2
        or path.parts[0] != "media"
        or any(part in ("..", ".") or "\\" in part or "\x00" in part for part in path.parts)
        or path.parts[1].startswith(STAGING_PREFIXES)
    )
    if unsafe:
        raise _damaged(_("it names the unsafe file path %(path)r") % {"path": member})
    return PurePosixPath(*path.parts[1:])


SHAPES = {
    "tables": {
        "model": str,
        "table": str,
        "columns": list,
        "rows": int,
        "member": str,
        "size": int,
        "sha256": str,
    },
    "files": {"member": str, "size": int, "sha256": str},
}


def _check_shape(manifest: dict) -> None:
    """The manifest's lists hold what the restore reads, so a hand-edited one fails here, by key."""
    if not isinstance(manifest.get("migrations"), list) or not all(
        isinstance(name, str) for name in manifest["migrations"]
    ):
        raise _damaged(_("its manifest has no list of migrations"))
    for key, shape in SHAPES.items():
        entries = manifest.get(key)
        if not isinstance(entries, list):
            raise _damaged(_("its manifest has no list of %(key)s") % {"key": key})
        for entry in entries:
            if not isinstance(entry, dict) or any(
                not isinstance(entry.get(name), kind) for name, kind in shape.items()
            ):
                raise _damaged(
                    _("an entry of %(key)s in its manifest lacks one of %(names)s")
                    % {"key": key, "names": ", ".join(shape)}
                )


def _plan(manifest: dict) -> Plan:
    _check_shape(manifest)
    _check_migrations(manifest)
    archived = {entry["model"]: entry for entry in manifest["tables"]}
    here = {model._meta.label_lower: model for model in backed_up_models()}
    if set(archived) != set(here):
        raise BackupError(
            _("The archive's tables differ from this hub's (%(names)s); nothing was changed.")
            % {"names": _names(set(archived) ^ set(here))}
        )
    tables = {}
    for label, model in here.items():
        entry, fields = archived[label], stored_fields(model)
        if entry["columns"] != [f.attname for f in fields]:
            raise BackupError(
                _("The archive's table %(table)s has the columns %(theirs)s, this hub's %(ours)s.")
                % {
                    "table": model._meta.db_table,
                    "theirs": entry["columns"],
                    "ours": [f.attname for f in fields],
                }
            )
        tables[entry["member"]] = Table(model, entry, fields)
    files = {
        entry["member"]: (media_member_path(entry["member"]), entry) for entry in manifest["files"]
    }
    if len(tables) + len(files) != len(manifest["tables"]) + len(manifest["files"]) or set(
        tables
    ) & set(files):
        raise _damaged(_("its manifest lists a member twice"))
    return Plan(manifest, tables, files)


def _holds_the_archives_rows(table: Table, rows: int) -> bool:
    if rows != table.entry["rows"]:
        return False
    sink = Digest()
    dump_table(table.model, sink)
    return sink.sha256.hexdigest() == table.entry["sha256"]


def data_to_replace(plan: Plan) -> list[str]:
    """Tables holding rows other than the archive's (rows the restore would lose), with counts."""
    found = []
    for table in plan.tables.values():
        if table.model._meta.label_lower in MIGRATE_FILLS:
            continue
        rows = table.model._base_manager.count()
        if rows and not _holds_the_archives_rows(table, rows):
            found.append(f"{table.model._meta.db_table} ({rows})")
    return found


def _preparer(column: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """From a value as the archive holds it to the parameter the database driver takes."""
    target = column.target_field if isinstance(column, models.ForeignKey) else column
    kind = target.get_internal_type()
    if kind == "JSONField" and not column.null:
        # A JSON column that may not be NULL holds JSON null where Django reads None.
        return lambda value: column.get_db_prep_value(value, db)
    if kind in PARSED:
        return lambda value: (
            None if value is None else column.get_db_prep_save(column.to_python(value), db)
        )
    return lambda value: column.get_db_prep_save(value, db)


def _rows(table: Table, stream: IO[bytes], digest: Digest, member: str) -> Iterator[list]:
    db = connections[connection.alias]  # not the proxy: it is asked once per value
    preparers = [_preparer(column, db) for column in table.fields]
    for number, line in enumerate(stream, start=1):
        digest.write(line)
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(preparers):
                raise ValueError(_("not a row of %(n)s columns") % {"n": len(preparers)})
            yield [prepare(value) for prepare, value in zip(preparers, values, strict=True)]
        except (ValueError, TypeError, ValidationError) as exc:
            raise _damaged(f"{member}, line {number}: {exc}") from exc


def _load_table(table: Table, stream: IO[bytes], digest: Digest, member: str) -> int:
    """Insert the rows as they are, a thousand at a time: no auto_now, default or signal touches
    a value. (No field of the hub needs a placeholder other than %s: a test keeps it so.)"""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
        quote(table.model._meta.db_table),
        ", ".join(quote(str(column.column)) for column in table.fields),
        ", ".join(["%s"] * len(table.fields)),
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in itertools.batched(_rows(table, stream, digest, member), 1000):
            try:
                cursor.executemany(sql, batch)
            except DatabaseError as exc:  # a duplicate key, a value too long for its column...
                raise _damaged(f"{member}: {exc}") from exc
            count += len(batch)
    return count


def _stage_file(stream: IO[bytes], digest: Digest, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        digest.target = out
        while chunk := stream.read(CHUNK):
            digest.write(chunk)


def _load_member(
    plan: Plan, archive: tarfile.TarFile, member: tarfile.TarInfo, staging: Path
) -> None:
    name = member.name
    if name in plan.tables:
        table = plan.tables.pop(name)
        entry = table.entry
    elif name in plan.files:
        path, entry = plan.files.pop(name)
    else:
        raise _damaged(
            _("it holds %(name)r, which its manifest does not list, or holds it twice")
            % {"name": name}
        )
    stream = archive.extractfile(member) if member.isreg() else None
    if stream is None or member.size != entry["size"]:
        raise _damaged(_("%(name)s is not the file its manifest describes") % {"name": name})
    digest = Digest()
    if name.startswith("media/"):
        _stage_file(stream, digest, staging / path)
    elif (rows := _load_table(table, stream, digest, name)) != entry["rows"]:
        raise _damaged(
            _("%(name)s holds %(found)s rows, its manifest says %(rows)s")
            % {"name": name, "found": rows, "rows": entry["rows"]}
        )
    if digest.sha256.hexdigest() != entry["sha256"] or digest.size != entry["size"]:
        raise _damaged(_("the checksum of %(name)s does not match its manifest") % {"name": name})


def _load_database(
    plan: Plan, archive: tarfile.TarFile, members: Iterator[tarfile.TarInfo], staging: Path
) -> None:
    tables = {table.model._meta.db_table: table for table in plan.tables.values()}
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(tables)))
    with connection.constraint_checks_disabled():
        for member in members:
            _load_member(plan, archive, member, staging)
        if plan.tables or plan.files:
            raise _damaged(
                _("%(names)s are missing") % {"names": _names(set(plan.tables) | set(plan.files))}
            )
        try:
            connection.check_constraints(table_names=list(tables))
        except DatabaseError as exc:
            raise _damaged(
                _("rows refer to rows it does not hold: %(error)s") % {"error": exc}
            ) from exc
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [t.model for t in tables.values()]
        ):
            cursor.execute(statement)
    for table in tables.values():
        if table.model._base_manager.count() != table.entry["rows"]:
            raise _damaged(
                _("%(table)s did not restore to %(rows)s rows")
                % {"table": table.model._meta.db_table, "rows": table.entry["rows"]}
            )


class MediaSwap:
    """A staging folder inside MEDIA_ROOT (the same file system, so it works on a mount point):
    `swap()` moves the current files aside and the staged ones in; leaving the `with` block with
    an error after the swap puts the old files back; the aside files are deleted at the end."""

    def __init__(self, media_root: Path):
        self.root = media_root
        token = secrets.token_hex(6)
        self.staging = media_root / f".restore-{token}"
        self.replaced = media_root / f".replaced-{token}"
        self.swapped = False

    def _move(self, source: Path, target: Path) -> None:
        for entry in source.iterdir():
            if entry not in (self.staging, self.replaced):
                entry.rename(target / entry.name)

    def swap(self) -> None:
        self.replaced.mkdir()
        self._move(self.root, self.replaced)
        self.swapped = True
        self._move(self.staging, self.root)

    def __enter__(self) -> "MediaSwap":
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir()
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        try:
            if error_type is not None and self.swapped:
                self._move(self.root, self.staging)
                self._move(self.replaced, self.root)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
            shutil.rmtree(self.replaced, ignore_errors=True)


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r|gz")
    except (*READ_ERRORS, OSError) as exc:
        raise _damaged(exc) from exc


def restore_archive(path: Path, *, replace: bool = False) -> dict:
    """Replace the database's rows and MEDIA_ROOT's files by the archive's; return its manifest.

    Refuses (BackupError, nothing changed) a damaged archive, another migration state, or, unless
    `replace`, a database holding rows the archive does not.
    """
    with _open(path) as archive:
        try:
            members = iter(archive)
            plan = _plan(_read_manifest(archive, next(members, None)))
            if not replace and (found := data_to_replace(plan)):
                raise BackupError(
                    _(
                        "The database already holds data the archive does not: %(tables)s. "
                        "Restoring replaces everything in the database and in MEDIA_ROOT with the "
                        "archive's contents; run it again with --yes to do so."
                    )
                    % {"tables": ", ".join(found)}
                )
            with MediaSwap(Path(settings.MEDIA_ROOT)) as media, transaction.atomic():
                _load_database(plan, archive, members, media.staging)
                media.swap()
        except READ_ERRORS as exc:
            raise _damaged(exc) from exc
        except OSError as exc:  # writing the files: MEDIA_ROOT is full or not writable
            raise BackupError(
                _("Cannot restore the files: %(error)s; nothing was changed.") % {"error": exc}
            ) from exc
    for alias in settings.CACHES:
        with contextlib.suppress(DatabaseError):  # no cache table yet: nothing is cached
            caches[alias].clear()
    ContentType.objects.clear_cache()  # the restored ids may differ from those remembered
    return plan.manifest
