"""manage.py import_contributions PATH --organization CODE [--sheet NAME] [--dry-run] [--skip-invalid]

Use it to load a spreadsheet of in-kind contributions without the browser (or to try a file
before uploading it). It runs the same code as the import page. In a workbook it reads the sheet
named by --sheet, else the first whose rows hold a recognisable header. Exit status: 0 when it
imported (or, with --dry-run, found no problems), 1 when it found problems (printed one per line,
row and column named), 2 when the input is unusable (unreadable file, unknown organization or
sheet).
"""

from hub.imports.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "Import in-kind contributions from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."
    kind = "contributions"
    records = "contributions"
    organization_help = "Short code (or name) of the receiving organization."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--currency", default="EUR", help="Currency of values that name none.")
