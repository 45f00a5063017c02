from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Refresh the database's planner statistics. Run it after loading or importing a lot of data: "
        "without statistics SQLite may pick an index that makes list pages sort every row."
    )

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            if connection.vendor == "mysql":
                tables = connection.introspection.table_names(cursor)
                for table in tables:
                    cursor.execute(f"ANALYZE TABLE {connection.ops.quote_name(table)}")
                    cursor.fetchall()
            else:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Statistics refreshed ({connection.vendor}).")
