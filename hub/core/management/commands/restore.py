"""manage.py restore PATH [--yes]

Use it to bring back a hub from an archive of `manage.py backup`, after a loss or to move to
another database (SQLite to PostgreSQL or MariaDB: migrate the new database first). Stop the web
processes and the worker first. It refuses, changing nothing, an archive that is damaged or was
made at another migration state, and a database holding rows the archive lacks unless --yes says
to replace everything. It restores all or nothing: the rows in one transaction, the files swapped
in only when every checksum and row count matched.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hub.core.backup import BackupError
from hub.core.restore import restore_archive


class Command(BaseCommand):
    # Runs even when a check would fail: restoring is how a broken hub is mended.
    requires_system_checks: list[str] = []
    help = "Replace the database's rows and MEDIA_ROOT's files by those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="An archive written by manage.py backup.")
        parser.add_argument(
            "--yes",
            "--force",
            action="store_true",
            dest="yes",
            help="Replace everything in a database that already holds other data.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            manifest = restore_archive(path, replace=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] < 1:
            return
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(
            _(
                "Restored %(tables)s tables (%(rows)s rows) and %(files)s files from the backup "
                "of %(created)s (hub %(version)s, %(vendor)s); every checksum and row count matched."
            )
            % {
                "tables": len(manifest["tables"]),
                "rows": rows,
                "files": len(manifest["files"]),
                "created": manifest.get("created_at", "?"),
                "version": manifest.get("hub_version", "?"),
                "vendor": manifest.get("database_vendor", "?"),
            }
        )
