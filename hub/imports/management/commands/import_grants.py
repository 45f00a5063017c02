"""manage.py import_grants PATH --organization CODE [--sheet NAME] [--dry-run] [--skip-invalid]
[--currency EUR] [--choose 'Name=ID' ...]

Use it to load a chapter's list of grants without the browser (or to try a file before uploading
it); it runs the same code as the import page (hub/imports/grants.py). Rows without a recipient
are grants to --organization; a funder the directory lacks is added as a funder. Exit status: 0
when it imported (or, with --dry-run, found no problems), 1 when it found problems (printed one
per line, row and column named; a funder the directory may hold under several records is listed
with its candidates, to choose with --choose), 2 when the input is unusable.
"""

from hub.imports.management.commands._base import RecordsImportCommand


class Command(RecordsImportCommand):
    help = "Import grants from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."
    kind = "grants"
    records = "grants"
    organization_help = "Short code (or name) of the recipient organization."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--currency", default="EUR", help="Currency of amounts that name none.")
