from django.db import migrations


def load_definitions(apps, schema_editor):
    from hub.outcomes.definitions import load

    load(apps.get_model("outcomes", "MetricDefinition"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load_definitions, migrations.RunPython.noop)]
