"""Indexes for the registry's text search and for "who works with whom".

Text search (`q`) is `UPPER(column) LIKE UPPER('%text%')` (Django's icontains on PostgreSQL). A
trigram GIN index on exactly that expression lets PostgreSQL answer it without reading every title
and description; results are the same, since the LIKE is still checked on each candidate row.
SQLite and MariaDB have no such index and keep scanning, so only PostgreSQL gets the extension and
the two indexes.

The (title, id) index serves the registry sorted by title. The (organization, partnership) index serves "partnerships of this organization" and the
"movement organizations working with it" aggregate from the index alone, on every database.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "partnership_title_trgm": "title",
    "partnership_description_trgm": "description",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON partnerships_partnership "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_start_desc_index_postgresql")]
    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["title", "id"], name="partnership_title"),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(
                fields=["organization", "partnership"], name="participant_org_partnership"
            ),
        ),
    ]
