# The import's models moved from `funding` to `imports` (0001): their content types follow them,
# so history entries and permissions that point at them keep pointing at them; and tasks queued
# by the version before the move, which name the task `hub.funding.imports.tasks...`, are renamed
# to its new path so the worker can still run them (`hub.funding.tasks...`, the name before that,
# stays importable: hub.imports.apps).

from django.db import migrations

MODELS = ("columnmapping", "importjob", "stagedcontribution")
TASK_PATHS = {
    "hub.funding.imports.tasks.process_import_job": "hub.imports.tasks.process_import_job",
}


def _move_content_types(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already there (a database that ran post_migrate with both apps)
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def _rename_tasks(apps, schema_editor, paths):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    for old, new in paths.items():
        DBTaskResult.objects.using(db).filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "funding", "imports")
    _rename_tasks(apps, schema_editor, TASK_PATHS)


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "imports", "funding")
    _rename_tasks(apps, schema_editor, {new: old for old, new in TASK_PATHS.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("funding", "0011_import_models_moved_to_imports"),
        ("imports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
