from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "hub.imports"
    label = "imports"
    verbose_name = "Spreadsheet imports"

    def ready(self) -> None:
        # The kinds of records the engine imports (hub/imports/kinds.py).
        from hub.imports import contributions, grants, kinds, organizations, partnerships

        kinds.register(contributions.KIND)
        kinds.register(partnerships.KIND.as_import_kind())
        kinds.register(organizations.KIND.as_import_kind())
        kinds.register(grants.KIND.as_import_kind())

        # Rows queued by an older version name the task `hub.funding.tasks.process_import_job`;
        # funding may not import this app, so this app puts the task under that name.
        from hub.funding import tasks as funding_tasks
        from hub.imports.tasks import process_import_job

        funding_tasks.process_import_job = process_import_job
