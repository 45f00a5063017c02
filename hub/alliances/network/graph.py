"""The network map's graph: organizations tied by the partnerships they share and by the
alliances they belong to, built only from what a viewer may see.

Partnerships come from `Partnership.objects.visible_to(user)`; organizations and alliance
memberships are directory records, public to everyone. Every pair of participants of a partnership
is tied (the tie counts the partnerships they share); every member is tied to its alliance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import networkx as nx
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hub.core.forms import RecordChoiceField, WholeNumberField
from hub.core.regions import Region, countries_in, country_choices
from hub.directory.models import AllianceMembership, Organization
from hub.partnerships.models import Participant, Partnership

GROUPS = {
    "kind": _("Organization kind"),
    "country": _("Country"),
    "sector": _("Movement, or type of external organization"),
}
MOVEMENT = "movement"


class NetworkFilter(forms.Form):
    """The map's filters. Invalid values are left out and told as notices, never an error page."""

    alliance = RecordChoiceField(
        label=_("Alliance or hub"),
        queryset=Organization.objects.alliances(),
        required=False,
        empty_label=_("Any"),
        help_text=_("Its members, their partnerships and their partners."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Any")), *Region.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of organization"),
        choices=[("", _("Any")), *Organization.Kind.choices],
        required=False,
        help_text=_("Ties that involve an organization of this type."),
    )
    year_from = WholeNumberField(
        label=_("Active from year"), required=False, min_value=1990, max_value=2100
    )
    year_to = WholeNumberField(
        label=_("Active to year"), required=False, min_value=1990, max_value=2100
    )
    group = forms.ChoiceField(
        label=_("Brokerage groups"),
        choices=list(GROUPS.items()),
        required=False,
        help_text=_("The groups the brokerage roles are counted between."),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data if data is not None else {})
        self.is_valid()
        self.notices = [
            _("Ignored the filter “%(label)s”: %(error)s")
            % {
                "label": self.fields[name].label if name in self.fields else name,
                "error": " ".join(str(e) for e in errors),
            }
            for name, errors in self.errors.items()
        ]
        self.values = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        first, last = self.values.get("year_from"), self.values.get("year_to")
        if first and last and first > last:
            self.values["year_from"], self.values["year_to"] = last, first
        self.values.setdefault("group", "kind")

    @property
    def key(self) -> str:
        """The filters as a canonical query string: the snapshot's name."""
        plain = {k: (v.pk if isinstance(v, Organization) else v) for k, v in self.values.items()}
        return urlencode(sorted(plain.items()))

    @property
    def grouping(self) -> str:
        return self.values["group"]

    @classmethod
    def from_key(cls, key: str) -> NetworkFilter:
        return cls(QueryDict(key))

    def _participant_match(self) -> Q | None:
        """Participants that put a partnership in the map (None: no participant filter)."""
        v = self.values
        cond = Q()
        if alliance := v.get("alliance"):
            cond &= Q(
                organization_id__in=AllianceMembership.objects.filter(alliance=alliance).values(
                    "member_id"
                )
            )
        if country := v.get("country"):
            cond &= Q(organization__country=country)
        if region := v.get("region"):
            cond &= Q(organization__country__in=countries_in(region))
        if kind := v.get("kind"):
            cond &= Q(organization__kind=kind)
        return cond if cond else None

    def partnerships(self, qs: QuerySet[Partnership]) -> QuerySet[Partnership]:
        """Narrow `qs` (already what the viewer may see) to the map's partnerships."""
        if (cond := self._participant_match()) is not None:
            qs = qs.filter(Exists(Participant.objects.filter(cond, partnership=OuterRef("pk"))))
        first, last = self.values.get("year_from"), self.values.get("year_to")
        if first or last:
            qs = qs.active_in_years(first or 1990, last or 2100)  # type: ignore[attr-defined]
        return qs

    def memberships(self) -> QuerySet[AllianceMembership]:
        qs = AllianceMembership.objects.all()
        v = self.values
        if alliance := v.get("alliance"):
            qs = qs.filter(alliance=alliance)
        if country := v.get("country"):
            qs = qs.filter(member__country=country)
        if region := v.get("region"):
            qs = qs.filter(member__country__in=countries_in(region))
        if kind := v.get("kind"):
            qs = qs.filter(Q(member__kind=kind) | Q(alliance__kind=kind))
        first, last = v.get("year_from"), v.get("year_to")
        if first or last:
            start = datetime.date(first or 1990, 1, 1)
            end = datetime.date(last or 2100, 12, 31)
            qs = qs.filter(Q(since__isnull=True) | Q(since__lte=end)).filter(
                Q(until__isnull=True) | Q(until__gte=start)
            )
        return qs


@dataclass
class Tie:
    """What joins two organizations: partnerships (id, title, start, end) and memberships
    (role, since, until)."""

    partnerships: list[tuple[int, str, str, str]] = field(default_factory=list)
    memberships: list[tuple[str, str, str]] = field(default_factory=list)


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def group_value(data: dict[str, Any], group: str) -> str:
    if group == "country":
        return data["country"] or "—"
    if group == "sector":
        return MOVEMENT if data["kind"] in Organization.MOVEMENT_KINDS else data["kind"]
    return data["kind"]


def build_graph(user, filters: NetworkFilter) -> tuple[nx.Graph, int]:
    """The viewer's graph for `filters` and how many partnerships it counts. Nodes are
    organization ids with label, name, code, kind, country, group; edges carry a `tie` (Tie)."""
    partnerships = filters.partnerships(Partnership.objects.visible_to(user))
    rows = (
        Participant.objects.filter(partnership__in=partnerships.values("pk"))
        .order_by("partnership_id", "organization_id")
        .values_list(
            "partnership_id",
            "organization_id",
            "partnership__title",
            "partnership__start_date",
            "partnership__end_date",
        )
    )
    graph = nx.Graph()
    members: dict[int, list[int]] = {}
    facts: dict[int, tuple[str, str, str]] = {}
    for pid, org, title, start, end in rows.iterator(chunk_size=5000):
        members.setdefault(pid, []).append(org)
        facts[pid] = (title, _day(start), _day(end))
    for pid, orgs in members.items():
        title, began, ended = facts[pid]
        graph.add_nodes_from(orgs)
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, tie=Tie())
                graph.edges[a, b]["tie"].partnerships.append((pid, title, began, ended))
    for alliance, member, role, since, until in filters.memberships().values_list(
        "alliance_id", "member_id", "role", "since", "until"
    ):
        if alliance == member:
            continue
        if not graph.has_edge(alliance, member):
            graph.add_edge(alliance, member, tie=Tie())
        graph.edges[alliance, member]["tie"].memberships.append((role, _day(since), _day(until)))
    ids = list(graph.nodes)
    for offset in range(0, len(ids), 5000):
        chunk = ids[offset : offset + 5000]
        for pk, name, code, kind, country in Organization.objects.filter(pk__in=chunk).values_list(
            "pk", "name", "short_code", "kind", "country"
        ):
            data = graph.nodes[pk]
            data.update(name=name, code=code or "", kind=kind, country=country or "")
            data["label"] = f"{name} ({code})" if code else name
    for _pk, data in graph.nodes(data=True):
        data["group"] = group_value(data, filters.grouping)
        data["side"] = group_value(data, "sector")
    return graph, len(members)
