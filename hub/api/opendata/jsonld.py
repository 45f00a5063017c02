"""The dumps' JSON-LD: organizations and partnerships as schema.org nodes.

Each function maps one row of its dataset (the same dict the JSON and CSV are written from) to
a node of the `@graph`; `datasets.DATASETS` names which dataset uses which.
"""

from typing import Any

from hub.api.opendata.places import site_url
from hub.core.weburl import is_web_url
from hub.directory.models import Organization

WIKIDATA_ENTITY = "https://www.wikidata.org/entity/"

# schema.org types for the directory's kinds (Organization where schema.org has nothing closer).
SCHEMA_TYPES = {
    Organization.Kind.LIBRARY: "Library",
    Organization.Kind.ARCHIVE: "ArchiveOrganization",
    Organization.Kind.UNIVERSITY: "CollegeOrUniversity",
    Organization.Kind.SCHOOL: "School",
    Organization.Kind.GOVERNMENT: "GovernmentOrganization",
    Organization.Kind.NGO: "NGO",
    Organization.Kind.COMPANY: "Corporation",
    Organization.Kind.FUNDER: "FundingAgency",
    Organization.Kind.MEDIA: "NewsMediaOrganization",
}


def organization_jsonld(row: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": row["url"],
        "@type": SCHEMA_TYPES.get(row["kind"], "Organization"),
        "identifier": row["id"],
        "name": row["name"],
        "additionalType": row["kind"],
    }
    if row["local_name"]:
        node["alternateName"] = row["local_name"]
    if row["short_code"]:
        node["alternateName"] = [*filter(None, [row["local_name"], row["short_code"]])]
    if row["description"]:
        node["description"] = row["description"]
    if row["country"] or row["city"]:
        node["address"] = {
            "@type": "PostalAddress",
            **({"addressCountry": row["country"]} if row["country"] else {}),
            **({"addressLocality": row["city"]} if row["city"] else {}),
        }
    if is_web_url(row["website"]):
        # A consumer makes a link of schema.org's url: only an http(s) address becomes one.
        node["url"] = row["website"]
    same = [
        *([WIKIDATA_ENTITY + row["wikidata_id"]] if row["wikidata_id"] else []),
        *([f"https://ror.org/{row['ror_id']}"] if row["ror_id"] else []),
        *([f"https://viaf.org/viaf/{row['viaf_id']}"] if row["viaf_id"] else []),
    ]
    if same:
        node["sameAs"] = same[0] if len(same) == 1 else same
    if row["recognized_on"]:
        node["foundingDate"] = row["recognized_on"]
    if row["member_of"]:
        node["memberOf"] = [{"@id": site_url(f"/organizations/{pk}/")} for pk in row["member_of"]]
    return node


def partnership_jsonld(row: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": row["url"],
        "@type": "Project",
        "identifier": row["id"],
        "name": row["title"],
        "member": [
            {
                "@type": "OrganizationRole",
                "roleName": x["role"],
                "member": {"@id": site_url(f"/organizations/{x['organization_id']}/")},
            }
            for x in row["participants"]
        ],
        "additionalProperty": [
            {"@type": "PropertyValue", "name": name, "value": row[name]}
            for name in ("goals", "structure", "direction", "status", "scope")
        ],
    }
    if row["description"]:
        node["description"] = row["description"]
    if row["start_date"]:
        node["foundingDate"] = row["start_date"]
    if row["end_date"]:
        node["dissolutionDate"] = row["end_date"]
    if row["themes"]:
        node["keywords"] = row["themes"]
    return node
