"""Open-data dumps (C12): see `datasets`."""

from hub.api.opendata.datasets import build, default_dir, published_files, read_manifest, withdraw

__all__ = ["build", "default_dir", "published_files", "read_manifest", "withdraw"]
