"""What the tests of the record kinds share: a sheet written as CSV, and a kind's preview and
import in one call each."""

import csv
from pathlib import Path

from hub.imports.kinds import get_kind
from hub.imports.records import import_file


def write_csv(path: Path, rows, delimiter=";") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def preview(kind: str, path, organization, actor, **options):
    """Check every row of the file as `kind`, writing nothing."""
    return get_kind(kind).run(path, organization=organization, actor=actor, **options)


def run(kind: str, path, organization, actor, **options):
    """Import the file as `kind`."""
    return import_file(path, kind=kind, organization=organization, actor=actor, **options)
