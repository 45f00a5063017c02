"""Search every column of every table for texts, with plain SQL: what an erasure must leave nowhere."""

import json

from django.db import connection


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bytes | memoryview):
        return [bytes(value).decode("utf-8", "replace")]
    text = str(value)
    if text[:1] in "[{":
        # JSON as some databases store it, with \u escapes: read it back to its letters.
        try:
            return [text, json.dumps(json.loads(text), ensure_ascii=False)]
        except ValueError:
            pass
    return [text]


def find_in_database(*needles: str) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every cell of the database holding one of `needles` (any case,
    also inside JSON)."""
    forms = {needle: {needle.lower(), json.dumps(needle)[1:-1].lower()} for needle in needles}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    for text in _texts(value):
                        lowered = text.lower()
                        found += [
                            (table, column, needle)
                            for needle, variants in forms.items()
                            if any(v in lowered for v in variants)
                        ]
    return found
