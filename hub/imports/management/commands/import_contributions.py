"""manage.py import_contributions PATH --organization CODE [--sheet NAME] [--dry-run] [--skip-invalid]

Use it to load a spreadsheet of in-kind contributions without the browser (or to try a file
before uploading it). It runs the same code as the import page. In a workbook it reads the sheet
named by --sheet, else the first whose rows hold a recognisable header. Exit status: 0 when it
imported (or, with --dry-run, found no problems), 1 when it found problems (printed one per line,
row and column named), 2 when the input is unusable (unreadable file, unknown organization or
sheet).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from hub.accounts.models import User
from hub.accounts.system import system_actor
from hub.directory.models import Organization
from hub.imports.columns import parse_mapping_option
from hub.imports.engine import ImportOptions, run_import


class Command(BaseCommand):
    help = "Import in-kind contributions from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--organization",
            required=True,
            help="Short code (or name) of the receiving organization.",
        )
        parser.add_argument(
            "--sheet",
            default="",
            help="The sheet of an XLSX or ODS workbook to read (default: the first with a list).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows, skip the listed ones.",
        )
        parser.add_argument("--mapping", default="", help="'Header=field,Other header=field'.")
        parser.add_argument("--currency", default="EUR", help="Currency of values that name none.")
        parser.add_argument(
            "--month-first",
            action="store_true",
            help="Read 1/3/2024 as 3 January (default: 1 March).",
        )
        parser.add_argument(
            "--user", default="", help="Act as this user (default: the hub's system account)."
        )

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            self.fail(f"{path}: no such file.")
        code = options["organization"].strip()
        organization = Organization.objects.filter(
            Q(short_code__iexact=code) | Q(name__iexact=code)
        ).first()
        if organization is None:
            self.fail(f"No organization with the short code or name '{code}'.")
        try:
            mapping = parse_mapping_option(options["mapping"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor = system_actor()
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                self.fail(f"No user '{options['user']}'.")
        currency = options["currency"].strip().upper()
        result = run_import(
            path,
            organization=organization,
            actor=actor,
            name=path.name,
            mapping=mapping or None,
            skip_invalid=options["skip_invalid"],
            write=not options["dry_run"],
            options=ImportOptions(default_currency=currency, day_first=not options["month_first"]),
            sheet=options["sheet"].strip() or None,
        )
        if result.fatal:
            for problem in result.fatal:
                self.stderr.write(str(problem))
            raise SystemExit(2)
        for problem in result.problems:
            self.stdout.write(str(problem))
        if result.problem_count > len(result.problems):
            self.stdout.write(
                f"... and {result.problem_count - len(result.problems)} more problems."
            )
        summary = (
            f"{result.rows} rows read, {result.valid_rows} valid, {result.invalid_count} with problems, "
            f"{result.already_imported} already imported"
        )
        if result.new_donors:
            summary += f", {result.new_donor_count} new donor organizations"
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}; nothing written.")
            if not result.ok:
                raise SystemExit(1)
            return
        if not result.imported:
            self.stdout.write(f"Nothing imported: {summary}. Fix the file, or use --skip-invalid.")
            raise SystemExit(1)
        self.stdout.write(f"Imported {result.created} contributions ({summary}).")
        if result.invalid_count:
            self.stdout.write(f"Skipped {result.invalid_count} rows with problems.")
