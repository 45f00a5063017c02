"""Open-data dumps (C12): every public record as CSV, JSON and JSON-LD, under CC0.

By concern: `datasets` (what each dump publishes and what its columns mean), `jsonld` (schema.org
nodes), `writers` (the files of one dataset, the README and licence), `publish` (build, withdraw
after an erasure, read what is published), `places` (the folder and the hub's addresses).
Callers import the names below from here.
"""

from hub.api.opendata.datasets import DATASETS, Dataset
from hub.api.opendata.places import default_dir, site_url
from hub.api.opendata.publish import build, published_files, read_manifest, withdraw

__all__ = [
    "DATASETS",
    "Dataset",
    "build",
    "default_dir",
    "published_files",
    "read_manifest",
    "site_url",
    "withdraw",
]
