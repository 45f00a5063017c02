"""The import's background task under the path it had before hub/imports/ (keep it).

django_tasks_db stores each queued task by its dotted path; rows queued by an earlier version name
`hub.funding.tasks.process_import_job`, and the worker imports that path to run them. The task
lives in hub/imports/tasks.py; funding may not import the imports app (arrows point down), so
hub.imports.apps.ImportsConfig.ready() sets the name here at start-up. New code imports it from
hub/imports/tasks.py.
"""

from typing import Any

process_import_job: Any  # set by hub.imports.apps.ImportsConfig.ready()
