"""The registry's export (CSV, XLSX, ODS): the columns a partnerships import reads back.

Headers are field names and choices their stored codes (goals, structure, status, scope, roles,
visibility, project codes), so an export reads back the same in any language; dates are typed
date cells (ISO text in CSV). Several values in one cell are joined by `join_items` ("; ", a ";"
inside a value doubled); a partner is "Name (role)" and a link "Label <https://...>", read back
with `partner_items` and `link_items`. docs/exports.md writes the format down; the writers are
hub/core/exporting.py.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from hub.core.exporting import Column, ListColumn, join_items, split_items
from hub.core.tabular import fold
from hub.directory.exporting import org_ref
from hub.partnerships.models import GOAL_FIELDS, Participant, Partnership, PartnershipLink

ROLE_CODES = {role.value for role in Participant.Role}
# "Name (role)": the last parenthesized code is the role, so "Museum (Berlin) (host)" keeps its name.
_PARTNER = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]+)\)$", re.DOTALL)
# "Label <address>": an address has no spaces nor angle brackets.
_LINK = re.compile(r"^(?P<label>.*?)\s*<(?P<url>[^<>\s]+)>$", re.DOTALL)


def partner_items(
    cell: str | None, roles: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(name, role code) of each partner in a "partners" cell; a partner written without a role
    (or with one the hub does not know, kept as part of the name) is a plain partner. `roles`
    maps the folded words for a role (hub.core.tabular.fold) to its code, for cells people typed
    ("Museum (Gastgeber)"); by default only the codes are roles."""
    found = []
    for item in split_items(cell):
        match = _PARTNER.match(item)
        role = None
        if match and match["name"]:
            written = match["role"].strip()
            role = (
                roles.get(fold(written))
                if roles is not None
                else (written if written in ROLE_CODES else None)
            )
        if match and role:
            found.append((match["name"], role))
        else:
            found.append((item, Participant.Role.PARTNER.value))
    return found


def link_items(cell: str | None) -> list[tuple[str, str]]:
    """(label, address) of each link in a "links" cell; a bare address has an empty label."""
    found = []
    for item in split_items(cell):
        match = _LINK.match(item)
        found.append((match["label"], match["url"]) if match else ("", item))
    return found


def _partner_text(name: str, role: str) -> str:
    return f"{name} ({role})"


def _link_text(label: str, url: str) -> str:
    return f"{label} <{url}>" if label else f"<{url}>"


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    cells: dict[int, list[str]] = defaultdict(list)
    for pk, text in pairs:
        cells[pk].append(text)
    return {pk: join_items(items) for pk, items in cells.items()}


def _partners(pks: list[int]) -> dict[int, str]:
    rows = (
        Participant.objects.filter(partnership_id__in=pks)
        .exclude(role=Participant.Role.LEAD)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "organization__name", "role")
    )
    return _grouped((pk, _partner_text(name, role)) for pk, name, role in rows)


def _projects(pks: list[int]) -> dict[int, str]:
    rows = (
        Partnership.projects.through.objects.filter(partnership_id__in=pks)
        .order_by("partnership_id", "wikimediaproject__code")
        .values_list("partnership_id", "wikimediaproject__code")
    )
    return _grouped(rows)


def _themes(pks: list[int]) -> dict[int, str]:
    rows = (
        Partnership.themes.through.objects.filter(partnership_id__in=pks)
        .order_by("partnership_id", "theme__name")
        .values_list("partnership_id", "theme__name")
    )
    return _grouped(rows)


def _links(pks: list[int]) -> dict[int, str]:
    rows = (
        PartnershipLink.objects.filter(partnership_id__in=pks)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "label", "url")
    )
    return _grouped((pk, _link_text(label, url)) for pk, label, url in rows)


def _goals(*flags: bool) -> str:
    return join_items(goal.value for goal, on in zip(GOAL_FIELDS, flags, strict=True) if on)


PARTNERSHIP_COLUMNS: list[Column | ListColumn] = [
    Column("id", ("pk",)),
    Column("title", ("title",)),
    Column("description", ("description",)),
    Column("lead", ("lead__short_code", "lead__name"), org_ref),
    ListColumn("partners", _partners),
    Column("goals", tuple(GOAL_FIELDS.values()), _goals),
    Column("structure", ("structure",)),
    Column("status", ("status",)),
    Column("scope", ("scope",)),
    Column("start_date", ("start_date",)),
    Column("end_date", ("end_date",)),
    ListColumn("projects", _projects),
    ListColumn("themes", _themes),
    ListColumn("links", _links),
    Column("visibility", ("visibility",)),
]
