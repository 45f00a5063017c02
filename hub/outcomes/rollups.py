"""Totals of outcome figures over a set of partnerships, never double counting what can be told
apart, and saying how each total was made.

For each metric definition (a version is its own total; versions are never added together):
- figures with keys (files, participants, items, pages, revisions) count their DISTINCT keys: a file
  two partnerships (or two alliances' members) claim counts once; the children's values are never
  added;
- figures without keys (totals entered by hand, Dashboard imports) are added up, except that
  figures from the same source record (one Dashboard course, one Commons category on one wiki)
  count once, with the largest value among them. Such a sum may double count what two
  partnerships report about the same activity: the total says how many of its partnerships share
  a partner organization with another one in the sum.

Only the partnerships in the QuerySet given count; callers pass `visible_to(user)` ones.
"""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.directory.models import AllianceMembership, Organization
from hub.outcomes.models import Figure, FigureKey, MetricDefinition
from hub.partnerships.models import Participant, Partnership

ZERO = decimal.Decimal(0)


@dataclass
class Total:
    definition: MetricDefinition
    distinct_keys: int = 0
    keyed_figures: int = 0
    summed: decimal.Decimal = ZERO
    summed_figures: int = 0
    repeats_counted_once: int = 0
    asserted_figures: int = 0
    partnerships: int = 0
    sharing_partners: int = 0
    summed_partnerships: set[int] = field(default_factory=set)

    @property
    def value(self) -> decimal.Decimal:
        return decimal.Decimal(self.distinct_keys) + self.summed

    @property
    def method(self) -> str:
        """How this total was made, in a sentence or three."""
        parts = []
        if self.keyed_figures:
            parts.append(
                ngettext(
                    "Each %(kind)s counted once (distinct keys): %(keys)s, from %(n)s figure.",
                    "Each %(kind)s counted once (distinct keys): %(keys)s, from %(n)s figures.",
                    self.keyed_figures,
                )
                % {
                    "keys": self.distinct_keys,
                    "kind": self.definition.get_key_kind_display(),
                    "n": self.keyed_figures,
                }
            )
        if self.summed_figures:
            parts.append(
                ngettext(
                    "Sum of %(n)s figure without keys (entered or imported totals).",
                    "Sum of %(n)s figures without keys (entered or imported totals).",
                    self.summed_figures,
                )
                % {"n": self.summed_figures}
            )
            if self.asserted_figures:
                parts.append(
                    ngettext(
                        "%(n)s of them is asserted by the organiser, not counted.",
                        "%(n)s of them are asserted by the organiser, not counted.",
                        self.asserted_figures,
                    )
                    % {"n": self.asserted_figures}
                )
            if self.repeats_counted_once:
                parts.append(
                    ngettext(
                        "%(n)s repeated figure from the same source record counted once.",
                        "%(n)s repeated figures from the same source record counted once.",
                        self.repeats_counted_once,
                    )
                    % {"n": self.repeats_counted_once}
                )
            if self.sharing_partners:
                parts.append(
                    ngettext(
                        "May double count: %(n)s partnership in this sum shares a partner "
                        "organization with another.",
                        "May double count: %(n)s partnerships in this sum share a partner "
                        "organization with another.",
                        self.sharing_partners,
                    )
                    % {"n": self.sharing_partners}
                )
            else:
                parts.append(_("A sum may double count what two partnerships both report."))
        return " ".join(parts)


def totals(partnerships: QuerySet[Partnership], *, year: int | None = None) -> list[Total]:
    """One Total per metric definition that has figures among `partnerships` (a fixed number of
    queries, whatever their number); with `year`, only figures whose period overlaps it."""
    figures = Figure.objects.filter(partnership__in=partnerships.values("pk"))
    if year is not None:
        figures = figures.filter(
            period_start__lte=datetime.date(year, 12, 31),
            period_end__gte=datetime.date(year, 1, 1),
        )
    has_keys = Exists(FigureKey.objects.filter(figure=OuterRef("pk")))
    by_definition: dict[int, Total] = {}
    definitions = MetricDefinition.objects.filter(pk__in=figures.values("definition"))
    for definition in definitions:
        by_definition[definition.pk] = Total(definition=definition)
    for definition_id, count in figures.values_list("definition").annotate(
        Count("partnership", distinct=True)
    ):
        by_definition[definition_id].partnerships = count
    keyed = figures.filter(has_keys)
    for definition_id, count in keyed.values_list("definition").annotate(Count("pk")):
        by_definition[definition_id].keyed_figures = count
    for definition_id, count in (
        FigureKey.objects.filter(figure__in=keyed.values("pk"))
        .values_list("figure__definition")
        .annotate(Count("key", distinct=True))
    ):
        by_definition[definition_id].distinct_keys = count
    keyless = figures.exclude(has_keys)
    for definition_id, source, summed, count in (
        keyless.filter(source_ref="")
        .values_list("definition", "source")
        .annotate(Sum("value"), Count("pk"))
    ):
        total = by_definition[definition_id]
        total.summed += summed or ZERO
        total.summed_figures += count
        if source == Figure.Source.ASSERTED:
            total.asserted_figures += count
    # Figures from one source record (a Dashboard course, a Commons category) count once.
    for definition_id, _source, _ref, largest, count in (
        keyless.exclude(source_ref="")
        .values_list("definition", "source", "source_ref")
        .annotate(Max("value"), Count("pk"))
    ):
        total = by_definition[definition_id]
        total.summed += largest or ZERO
        total.summed_figures += count
        total.repeats_counted_once += count - 1
    _count_sharing(keyless, by_definition)
    return sorted(by_definition.values(), key=lambda t: (t.definition.key, -t.definition.version))


def _count_sharing(keyless: QuerySet[Figure], by_definition: dict[int, Total]) -> None:
    """For each total, how many partnerships of its summed figures share a partner organization
    (any participant but a movement organization) with another partnership of that sum."""
    pairs = set(keyless.values_list("definition", "partnership").distinct())
    if not pairs:
        return
    partners: dict[int, set[int]] = defaultdict(set)
    for partnership_id, organization_id in (
        Participant.objects.filter(partnership__in={pair[1] for pair in pairs})
        .exclude(organization__kind__in=Organization.MOVEMENT_KINDS)
        .values_list("partnership", "organization")
    ):
        partners[partnership_id].add(organization_id)
    for definition_id, partnership_id in pairs:
        by_definition[definition_id].summed_partnerships.add(partnership_id)
    for total in by_definition.values():
        seen: dict[int, int] = defaultdict(int)
        for partnership_id in total.summed_partnerships:
            for organization_id in partners[partnership_id]:
                seen[organization_id] += 1
        total.sharing_partners = sum(
            1
            for partnership_id in total.summed_partnerships
            if any(seen[o] > 1 for o in partners[partnership_id])
        )


def movement_partnerships(user) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(user)


def organization_partnerships(user, organization: Organization) -> QuerySet[Partnership]:
    """The partnerships `user` may see in which `organization` takes part, in any role."""
    return Partnership.objects.visible_to(user).with_organization([organization.pk])


def alliance_partnerships(user, alliance: Organization) -> QuerySet[Partnership]:
    """The partnerships `user` may see of the alliance itself and of its members."""
    members = list(
        AllianceMembership.objects.filter(alliance=alliance).values_list("member", flat=True)
    )
    return Partnership.objects.visible_to(user).with_organization([alliance.pk, *members])


def totals_for_organization(user, organization: Organization) -> list[Total]:
    if organization.is_alliance:
        return totals(alliance_partnerships(user, organization))
    return totals(organization_partnerships(user, organization))
