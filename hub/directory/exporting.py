"""The directory's export (CSV, XLSX, ODS) and how any export names an organization.

The columns are the ones an organizations import reads back, headed by field names and holding
stored codes (kind, status, ISO country), so a file reads the same in any language; the writers
are hub/core/exporting.py, the format is written down in docs/exports.md.
"""

from hub.core.exporting import Column


def org_ref(code: str | None, name: str | None) -> str:
    """An organization in one cell: its short code, else its name (what an import matches)."""
    return code or name or ""


def org_code(code: str | None, wikidata: str | None) -> str:
    """An organization's identifier beside its name: short code, else Wikidata item."""
    return code or wikidata or ""


ORGANIZATION_COLUMNS = [
    Column("name", ("name",)),
    Column("local_name", ("local_name",)),
    Column("kind", ("kind",)),
    Column("country", ("country",)),
    Column("website", ("website",)),
    Column("short_code", ("short_code",)),
    Column("wikidata_id", ("wikidata_id",)),
    Column("status", ("status",)),
]
