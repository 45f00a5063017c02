"""The columns of the grant exports (CSV, XLSX, ODS); the writers are hub/core/exporting.py."""

from hub.core.exporting import Column
from hub.directory.exporting import org_code, org_ref

GRANT_COLUMNS = [
    Column("id", ("pk",)),
    Column("import_key", ("import_key",)),
    Column("title", ("title",)),
    Column("funder", ("funder__name",)),
    Column("funder_code", ("funder__short_code", "funder__wikidata_id"), org_code),
    Column("recipient", ("recipient__short_code", "recipient__name"), org_ref),
    # What the reader may see of the linked partnership (see LinksPartnership).
    Column("partnership", ("shown_partnership_title",)),
    Column("partnership_id", ("shown_partnership_id",)),
    Column("amount", ("amount",)),
    Column("currency", ("currency",)),
    Column("restricted", ("restricted",)),
    Column("restriction", ("restriction",)),
    Column("period_start", ("period_start",)),
    Column("period_end", ("period_end",)),
    Column("status", ("status",)),
    Column("description", ("description",)),
    Column("confidential", ("confidential",)),
]
