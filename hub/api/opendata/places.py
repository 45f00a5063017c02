"""Where the dumps are written and served from, and the hub's public address of a record."""

from pathlib import Path

from django.conf import settings


def default_dir() -> Path:
    """The folder the dumps are published in (and served from by the open-data page)."""
    return Path(settings.MEDIA_ROOT) / "open-data"


def site_url(path: str) -> str:
    """The absolute address of a page of the hub, as the dumps link to it."""
    return settings.SITE_URL.rstrip("/") + path
