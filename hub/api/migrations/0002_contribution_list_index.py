"""An index for the API's contribution list (newest first, ties by id) at a million rows.

The list orders by (date, id); the funding app's (date, category) index leaves PostgreSQL reading
and sorting every contribution of the newest dates (about 450 a day at the benchmark's size M).
The index belongs to the funding table but only the API's keyset pagination needs it, so it is
created here, outside the funding app's model state (makemigrations does not see it).
"""

from django.db import migrations, models

INDEX = models.Index(models.F("date").desc(), models.F("id").desc(), name="api_inkind_date_id")


def add_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("funding", "InKindContribution"), INDEX)


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("funding", "InKindContribution"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("funding", "0002_import_jobs"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
