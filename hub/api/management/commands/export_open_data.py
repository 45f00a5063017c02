"""Write the open-data dumps (every public record as CSV, JSON and JSON-LD, CC0) into a folder.

Use it for a one-off export or from cron; the download page's "rebuild" button runs the same code
as a background task (hub.api.tasks.rebuild_open_data) into MEDIA_ROOT/open-data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from hub.api import opendata


class Command(BaseCommand):
    help = "Write the open-data dumps into DIR (created if missing); default MEDIA_ROOT/open-data."

    def add_arguments(self, parser):
        parser.add_argument("dir", nargs="?", help="Target folder.")

    def handle(self, *args, dir: str | None = None, **options):
        manifest = opendata.build(Path(dir) if dir else None)
        for dataset in manifest["datasets"]:
            self.stdout.write(f"{dataset['name']}: {dataset['count']} records")
        self.stdout.write(f"Wrote the dumps into {dir or opendata.default_dir()}.")
