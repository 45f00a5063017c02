"""The network map (issue 18): `/alliances/network/` once its snapshot is computed, for a visitor.

The build computes the public snapshots in-process first (the background task's work, not
measured here: the issue asks for the page "once computed"), then the load reads the page: the
map of the whole registry (summarized by group at this size), a page further down its table, the
map grouped by country, and one alliance's network. Each answer must show the counts line.
"""

from __future__ import annotations

import time
from typing import Any

from bench.loadgen import Request
from bench.scenarios import Context, PagePlan, Target, Unavailable, scenario

NETWORK_P95 = Target(
    "p95_ms", 150, "p95 ≤ 150 ms once computed, at the large dataset", "issue 18", "M"
)
COUNTS = 'class="result-count"'


def _queries(ctx: Context) -> list[str]:
    from django.db.models import Count

    from hub.directory.models import Organization

    queries = ["group=kind", "group=country", "group=kind&page=3"]
    alliance = (
        Organization.objects.alliances()
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    if alliance is not None:
        queries.append(f"alliance={alliance.pk}&group=kind")
    return queries[:2] if ctx.quick else queries


@scenario("network_page", "Network map page (computed)", targets=[NETWORK_P95], group="network")
def network_page(ctx: Context) -> PagePlan:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("alliances:network")
        from hub.alliances.network import services
        from hub.alliances.network.graph import NetworkFilter
    except (NoReverseMatch, ImportError) as exc:
        raise Unavailable("the network map is not in this build") from exc
    notes: list[str] = []
    keys = {NetworkFilter(QueryDict(q)).key: q for q in _queries(ctx)}
    for query in keys.values():
        filters = NetworkFilter(QueryDict(query))
        began = time.monotonic()
        snapshot = services.snapshot_request(actor=AnonymousUser(), filters=filters)
        done: Any = services.snapshot_compute(snapshot_id=snapshot.pk)
        if done is None:
            raise RuntimeError(f"the network snapshot for {query} failed")
        notes.append(
            f"{query}: {done.node_count} organizations, {done.edge_count} ties computed in "
            f"{time.monotonic() - began:.1f} s"
        )
    return PagePlan(
        [Request(f"{path}?{q}", COUNTS) for q in _queries(ctx)], notes=notes, floor_exclude=""
    )
