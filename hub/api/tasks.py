"""Background work of the API app, run by `manage.py db_worker`."""

from django.tasks import task

from hub.api import opendata


@task
def rebuild_open_data() -> int:
    """Rebuild the open-data dumps under MEDIA_ROOT/open-data; returns the number of records."""
    manifest = opendata.build()
    return sum(dataset["count"] for dataset in manifest["datasets"])
