"""The registry's default order (newest start first, undated last, then newest id) as an index.

PostgreSQL cannot walk the ascending start_date index for `DESC NULLS LAST`; SQLite and MariaDB have
no NULLS LAST in index definitions and do well with the existing index, so only PostgreSQL gets it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS partnership_start_desc "
    "ON partnerships_partnership (start_date DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS partnership_start_desc"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_wikimedia_projects")]
    operations = [migrations.RunPython(create, drop)]
