"""The search index: one row a searchable record, its text, and the organizations it concerns.

The full-text part is the database's own, added by migration core.0004 beside this table (an FTS5
table kept by triggers on SQLite, a tsvector column and GIN index on PostgreSQL, a FULLTEXT index on
MariaDB): see hub/core/search/backends.py. Who may see an entry is never stored here: a query
filters the entries by each kind's `visible(user)` at the time it runs.

A later migration that alters this table must keep the full-text index: on SQLite Django rebuilds
an altered table (a new table copied and renamed), which drops the triggers; run
`backends.adapter(connection).uninstall` before and `.install` after it, then `search_rebuild`.
"""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    # A BCP 47 code ("en", "de", "pt-br"), or empty when the record says nothing of its language.
    language = models.CharField(max_length=12, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_one_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchEntryOrganization(models.Model):
    """An organization an entry concerns (the organization filter): an id, not a foreign key, as
    core knows no domain model; the entry's kind keeps it current."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="organizations")
    organization_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organization_id"], name="search_entry_organization_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.organization_id}"
