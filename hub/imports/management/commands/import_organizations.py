"""manage.py import_organizations PATH --organization CODE [--sheet NAME] [--dry-run] [--skip-invalid]
[--choose 'Name=ID' ...]

Use it to load a list of organizations without the browser (or to try a file before uploading it); it
runs the same code as the import page (hub/imports/organizations.py, docs/import-records.md). Exit status:
0 when it imported (or, with --dry-run, found no problems), 1 when it found problems (printed one
per line, row and column named; uncertain names listed with their candidates, to choose with
--choose), 2 when the input is unusable.
"""

from hub.imports.management.commands._base import RecordsImportCommand


class Command(RecordsImportCommand):
    help = "Import organizations from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."
    kind = "organizations"
    records = "organizations"
