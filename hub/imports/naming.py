"""The organizations a file names, matched to the directory for the record kinds' imports
(hub/imports/records.py): certain matches, the person's choices for uncertain ones, and the new
organizations confirming adds (referred to as "new:<n>" until they exist)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from hub.core.tabular import Problem, looks_like_formula, shorten
from hub.directory.matching import OrganizationIndex
from hub.directory.matching import name_key as organization_key
from hub.directory.models import Organization
from hub.imports.engine import MAX_LISTED

_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")
NEW = "new:"  # a reference to the n-th organization the import adds: "new:0"
CANDIDATES_SHOWN = 8
ROWS_NAMED = 5

Ref = int | str  # an organization's id, or NEW + its number among those the import adds


class Organizations:
    """The organizations a file names, matched to the directory (hub.directory.matching) from one
    read of it: by Wikidata item, short code, website or normalized name, in any of its names.

    `find` answers an id (certain, or the person's choice), a new organization's reference, or
    None after naming the row's problem; every uncertain name is listed in `uncertain` with its
    candidates, for the preview's choice."""

    def __init__(self, choices: Mapping[str, int] | None = None) -> None:
        self.index = OrganizationIndex.build()
        self.by_pk = {org.pk: org for org in self.index.organizations}
        self.choices = dict(choices or {})
        self.new_keys: dict[str, int] = {}
        self.new: list[Organization] = []  # unsaved, for the checks (negative ids)
        self.new_fields: list[dict[str, Any]] = []
        self.uncertain: dict[str, dict[str, Any]] = {}
        self.uncertain_count = 0
        self.used_new: set[int] = set()

    def find(
        self,
        text: str,
        *,
        number: int,
        column: str,
        problems: list[Problem],
        create: bool = True,
        website: str = "",
        short_code: str = "",
        wikidata_id: str = "",
        ask: bool = True,
    ) -> Ref | None:
        """`ask=False` for a row the hub already holds, which is not written: an uncertain name
        on it takes its first candidate instead of waiting for the person's choice."""
        text = " ".join(text.split())

        def refuse(message: str) -> None:
            problems.append(Problem(message, row=number, column=column, value=shorten(text)))

        if looks_like_formula(text):
            # the in-kind import's rule for donors: a spreadsheet would run it as a formula
            refuse(_("looks like a spreadsheet formula, not a name."))
            return None
        stripped = text.strip()
        if not short_code and _CODE.match(stripped):
            short_code = stripped
        if not wikidata_id and _WIKIDATA.match(stripped):
            wikidata_id = stripped
        key = organization_key(text) or short_code.upper() or wikidata_id.upper()
        match = self.index.match(
            name=text, website=website, short_code=short_code, wikidata_id=wikidata_id
        )
        if match.certain:
            return match.organization.pk  # type: ignore[union-attr]
        if key in self.new_keys:  # named (and not found) on an earlier row
            return self._new_ref(self.new_keys[key])
        chosen = self.choices.get(key)
        if chosen == 0 and create:
            return self._add(text, key)
        if chosen and chosen in self.by_pk:
            return chosen
        if match.uncertain and not ask:
            return match.candidates[0].pk
        if match.uncertain:
            self._note_uncertain(text, key, match.candidates, number)
            refuse(_("may be one of several organizations in the directory; choose which below."))
            return None
        if not create:
            refuse(_("matches no organization in the directory."))
            return None
        return self._add(text, key)

    def _add(self, text: str, key: str, **fields: Any) -> str:
        number = len(self.new)
        self.new_keys[key] = number
        self.new.append(Organization(pk=-(number + 1), name=text, kind=Organization.Kind.OTHER))
        self.new_fields.append({"name": text, **fields})
        return self._new_ref(number)

    def _new_ref(self, number: int) -> str:
        return f"{NEW}{number}"

    def _note_uncertain(self, text: str, key: str, candidates, number: int) -> None:
        entry = self.uncertain.get(key)
        if entry is None:
            self.uncertain_count += 1
            if len(self.uncertain) >= MAX_LISTED:
                return
            entry = self.uncertain[key] = {
                "name": text,
                "key": key,
                "candidates": [
                    {"id": org.pk, "label": _label(org)} for org in candidates[:CANDIDATES_SHOWN]
                ],
                "rows": [],
                "chosen": self.choices.get(key),
            }
        if len(entry["rows"]) < ROWS_NAMED:
            entry["rows"].append(number)

    def instance(self, ref: Ref) -> Organization:
        """The organization a reference means: the directory's, or an unsaved new one."""
        if isinstance(ref, str):
            return self.new[int(ref.removeprefix(NEW))]
        return self.by_pk[ref]

    def new_listed(self) -> list[str]:
        """The names of the organizations the rows to write add (the first MAX_LISTED)."""
        return [self.new[n].name for n in sorted(self.used_new)[:MAX_LISTED]]


def _label(org: Organization) -> str:
    """How a candidate is told apart from the others: its names, code, country and website."""
    details = [
        str(part)
        for part in (org.local_name, org.short_code, getattr(org.country, "code", ""))
        if part
    ]
    if org.website:
        details.append(org.website)
    return f"{org.name} ({', '.join(details)})" if details else org.name
