"""Publishing the dumps: build them all (the management command `export_open_data` and the task
`rebuild_open_data`), withdraw the files an erasure names, and read what is published.

Files are written to a temporary folder and moved into place, so a reader never sees a
half-written dump.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from hub.api.opendata.datasets import DATASETS
from hub.api.opendata.places import default_dir
from hub.api.opendata.writers import LICENCE, readme, write_dataset
from hub.core import uploads


def build(directory: Path | None = None) -> dict[str, Any]:
    """Write the dumps into `directory` (MEDIA_ROOT/open-data by default); return the manifest."""
    directory = Path(directory or default_dir())
    directory.mkdir(parents=True, exist_ok=True)
    datasets = DATASETS
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=directory))
    try:
        manifest: dict[str, Any] = {
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "licence": "CC0-1.0",
            "datasets": [write_dataset(work, dataset) for dataset in datasets],
        }
        (work / "README.md").write_text(readme(manifest, datasets), encoding="utf-8")
        (work / "LICENCE.txt").write_text(LICENCE, encoding="utf-8")
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for item in sorted(work.iterdir(), key=lambda p: p.name == "manifest.json"):
            os.replace(item, directory / item.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def withdraw(values: list[str]) -> int:
    """After an erasure: the published files that name one of `values` stop being served (they
    are removed once the erasure is committed) and a rebuild from the redacted records is queued.
    Returns how many files name them."""
    folder = default_dir()
    named = [
        folder / name
        for name in sorted(published_files(read_manifest()))
        if uploads.path_mentions(folder / name, values)
    ]
    if named:
        transaction.on_commit(lambda: _replace(named))
    return len(named)


def _replace(paths: list[Path]) -> None:
    from hub.api.tasks import rebuild_open_data  # the task module imports this one

    for path in paths:
        path.unlink(missing_ok=True)
    rebuild_open_data.enqueue()


def read_manifest(directory: Path | None = None) -> dict[str, Any] | None:
    path = Path(directory or default_dir()) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def published_files(manifest: dict[str, Any] | None) -> set[str]:
    if not manifest:
        return set()
    names = {"README.md", "LICENCE.txt", "manifest.json"}
    for dataset in manifest.get("datasets", []):
        names.update(dataset.get("files", []))
    return names
