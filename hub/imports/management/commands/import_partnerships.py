"""manage.py import_partnerships PATH --organization CODE [--sheet NAME] [--dry-run] [--skip-invalid]
[--choose 'Name=ID' ...]

Use it to load a chapter's list of partnerships without the browser (or to try a file before
uploading it); it runs the same code as the import page (hub/imports/partnerships.py). Rows without
a lead are led by --organization. Exit status: 0 when it imported (or, with --dry-run, found no
problems), 1 when it found problems (printed one per line, row and column named; a name the
directory may hold under several records is listed with its candidates, to choose with --choose),
2 when the input is unusable.
"""

from hub.imports.management.commands._base import RecordsImportCommand


class Command(RecordsImportCommand):
    help = "Import partnerships from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."
    kind = "partnerships"
    records = "partnerships"
