"""The columns of the contribution exports (CSV, XLSX, ODS), in the order the import reads them
back; the writers are hub/core/exporting.py."""

from hub.core.exporting import Column
from hub.directory.exporting import org_code, org_ref

CONTRIBUTION_COLUMNS = [
    Column("id", ("pk",)),
    Column("import_key", ("import_key",)),
    Column(
        "receiving_organization",
        ("receiving_organization__short_code", "receiving_organization__name"),
        org_ref,
    ),
    Column("donor_organization", ("donor_organization__name",)),
    Column(
        "donor_organization_code",
        ("donor_organization__short_code", "donor_organization__wikidata_id"),
        org_code,
    ),
    Column("donor_name", ("donor_name",)),
    # What the reader may see of the linked partnership (see LinksPartnership).
    Column("partnership", ("shown_partnership_title",)),
    Column("partnership_id", ("shown_partnership_id",)),
    Column("date", ("date",)),
    Column("period_end", ("period_end",)),
    Column("category", ("category",)),
    Column("description", ("description",)),
    Column("quantity", ("quantity",)),
    Column("unit", ("unit",)),
    Column("value", ("value",)),
    Column("currency", ("currency",)),
    Column("valuation_method", ("valuation_method",)),
    Column("value_source", ("value_source",)),
    Column("evidence_url", ("evidence_url",)),
    Column("acknowledgement", ("acknowledgement",)),
    Column("confidential", ("confidential",)),
]
