"""What the import commands share (import_contributions, import_partnerships,
import_organizations, import_grants): the same options, the same code as the import page, and the
same exit status: 0 when it imported (or, with --dry-run, found no problems), 1 when it found
problems (printed one per line, row and column named), 2 when the input is unusable (unreadable
file, unknown organization, sheet or user)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from hub.accounts.models import User
from hub.accounts.system import system_actor
from hub.directory.models import Organization
from hub.imports.columns import ColumnSpec
from hub.imports.kinds import get_kind
from hub.imports.rows import ImportOptions


class ImportCommand(BaseCommand):
    kind = ""  # a key of hub.imports.kinds.KINDS
    records = ""  # "contributions": how the summary names what it imported
    organization_help = "Short code (or name) of the organization to import for."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--organization", required=True, help=self.organization_help)
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

    def run_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """What else this kind's run takes from the command line."""
        return {}

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
        kind = get_kind(self.kind)
        try:
            mapping = ColumnSpec(kind.name, kind.targets).parse_mapping_option(options["mapping"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor = system_actor()
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                self.fail(f"No user '{options['user']}'.")
        result = kind.run(
            path,
            organization=organization,
            actor=actor,
            name=path.name,
            mapping=mapping or None,
            skip_invalid=options["skip_invalid"],
            write=not options["dry_run"],
            options=ImportOptions(
                default_currency=options.get("currency", "EUR").strip().upper(),
                day_first=not options["month_first"],
            ),
            sheet=options["sheet"].strip() or None,
            **self.run_options(options),
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
        for item in result.uncertain:
            candidates = ", ".join(f"{c['id']} = {c['label']}" for c in item["candidates"])
            self.stdout.write(
                f"'{item['name']}' may be: {candidates}; choose with "
                f"--choose '{item['name']}=ID' (0 for a new organization)."
            )
        summary = (
            f"{result.rows} rows read, {result.valid_rows} valid, {result.invalid_count} with "
            f"problems, {result.already_imported} already imported"
        )
        new = result.new_donor_count or result.new_organization_count
        if new:
            summary += f", {new} new organizations"
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}; nothing written.")
            if not result.ok:
                raise SystemExit(1)
            return
        if not result.imported:
            self.stdout.write(f"Nothing imported: {summary}. Fix the file, or use --skip-invalid.")
            raise SystemExit(1)
        self.stdout.write(f"Imported {result.created} {self.records} ({summary}).")
        if result.invalid_count:
            self.stdout.write(f"Skipped {result.invalid_count} rows with problems.")


class RecordsImportCommand(ImportCommand):
    """An import of partnerships, organizations or grants: uncertain matches are chosen with
    --choose."""

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="NAME=ID",
            help="The organization (its id; 0 for a new one) a name the file writes means, "
            "for a name the directory may hold under several records. Repeat for each.",
        )

    def run_options(self, options: dict[str, Any]) -> dict[str, Any]:
        from hub.directory.matching import name_key

        choices: dict[str, int] = {}
        for text in options["choose"]:
            name, sep, number = text.rpartition("=")
            if not sep or not number.strip().isdigit():
                self.fail(f"--choose '{text}': write it as 'Name=ID' (0 for a new organization).")
            choices[name_key(name)] = int(number)
        return {"choices": choices}
