"""The import's background task under the path it had before hub/funding/imports/ (keep it).

django_tasks_db stores each queued task by its dotted path; rows queued by an earlier version name
`hub.funding.tasks.process_import_job`, and the worker imports that path to run them. The task
lives in hub/funding/imports/tasks.py; this name keeps those rows runnable. New code imports it
from there.
"""

from hub.funding.imports.tasks import process_import_job

__all__ = ["process_import_job"]
