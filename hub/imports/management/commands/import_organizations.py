"""manage.py import_organizations PATH --organization CODE [--sheet NAME] [--dry-run]
[--skip-invalid] [--choose 'Name=ID' ...]

Use it to load an office's list of partner institutions into the directory without the browser
(or to try a file before uploading it); it runs the same code as the import page
(hub/imports/organizations.py). An institution the directory holds already (by Wikidata item,
short code, website or name) is counted, not added again. Exit status: 0 when it imported (or,
with --dry-run, found no problems), 1 when it found problems (printed one per line, row and
column named; a name the directory may hold under several records is listed with its
candidates, to choose with --choose), 2 when the input is unusable.
"""

from hub.imports.management.commands._base import RecordsImportCommand


class Command(RecordsImportCommand):
    help = "Import organizations from a CSV, XLSX or ODS file (exit 0 ok, 1 problems, 2 unusable)."
    kind = "organizations"
    records = "organizations"
    organization_help = "Short code (or name) of the organization importing (its mapping is kept)."
