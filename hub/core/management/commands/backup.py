"""manage.py backup [--output PATH]

Use it daily (cron, or a scheduled Toolforge job) and before every upgrade: it writes one .tar.gz
holding every table's rows and every file under MEDIA_ROOT, with a manifest of the hub version,
migration state, database vendor, row counts and checksums. It reads one consistent snapshot and
never blocks the running hub. `manage.py restore` reads the archive back, on any of the three
databases. The archive holds password hashes and sessions: keep it as private as the database.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core.backup import BackupError, backup_write


class Command(BaseCommand):
    # Runs even when a check would fail: a backup is most needed when something is wrong.
    requires_system_checks: list[str] = []
    help = "Write the database and every stored file into one archive (.tar.gz) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="",
            help="The archive to write (default: DATA_DIR/backups/hub-<UTC time>.tar.gz).",
        )

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else self.default_path()
        try:
            manifest = backup_write(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": output, "error": exc}
            ) from exc
        if options["verbosity"] < 1:
            return
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(
            _("Backed up %(tables)s tables (%(rows)s rows) and %(files)s files to %(path)s.")
            % {
                "tables": len(manifest["tables"]),
                "rows": rows,
                "files": len(manifest["files"]),
                "path": output,
            }
        )

    @staticmethod
    def default_path() -> Path:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        return Path(settings.DATA_DIR) / "backups" / f"hub-{stamp}.tar.gz"
