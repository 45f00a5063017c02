"""Write the API's OpenAPI document, e.g. to refresh docs/openapi.json after changing the API."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from hub.api.api import api

PATH_PREFIX = "/api/v1/"


def openapi_text() -> str:
    """The document exactly as committed: sorted keys, two-space indent, final newline."""
    schema = api.get_openapi_schema(path_prefix=PATH_PREFIX)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to PATH (use docs/openapi.json to refresh it)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the document, or - for standard output.")

    def handle(self, *args, path: str, **options):
        text = openapi_text()
        if path == "-":
            self.stdout.write(text, ending="")
            return
        Path(path).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
