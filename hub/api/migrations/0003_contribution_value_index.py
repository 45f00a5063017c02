"""An index for the API's contribution list of one category by value (`category=...&sort=-value`).

Without it PostgreSQL reads and sorts every contribution of the category (about 90,000 at the
benchmark's size M, 0.4 s). Created here like 0002, outside the funding app's model state.
"""

from django.db import migrations, models

INDEX = models.Index(
    "category", models.F("value").desc(), models.F("id").desc(), name="api_inkind_cat_value_id"
)


def add_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("funding", "InKindContribution"), INDEX)


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("funding", "InKindContribution"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("api", "0002_contribution_list_index")]

    operations = [migrations.RunPython(add_index, remove_index)]
