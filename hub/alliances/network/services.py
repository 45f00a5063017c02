"""The network map's writes: asking for a snapshot, and computing it (the background task).

Snapshots are derived data (see hub/alliances/network/models.py): they record no history.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.alliances.network import measures
from hub.alliances.network.graph import NetworkFilter, build_graph
from hub.alliances.network.models import NetworkNode, NetworkSnapshot, scope_of

logger = logging.getLogger(__name__)
SUMMARIZE_OVER = 150  # nodes: a larger graph is drawn by group
SIZE = 1000.0
STUCK_AFTER = datetime.timedelta(minutes=15)  # a computation not done by then is asked again


@transaction.atomic
def snapshot_request(*, actor, filters: NetworkFilter) -> NetworkSnapshot:
    """Ask for the network of `filters` as `actor` may see it: queues its computation unless one
    is already waiting or running. Anyone may ask (a visitor's snapshot counts public records
    only). Returns the snapshot."""
    from hub.alliances.network.tasks import compute_network

    snapshot, _created = NetworkSnapshot.objects.select_for_update().get_or_create(
        scope=scope_of(actor), filters_key=filters.key
    )
    waiting = timezone.now() - snapshot.requested_at < STUCK_AFTER
    if snapshot.is_pending and snapshot.task_id and waiting:
        return snapshot  # already on its way
    snapshot.status = NetworkSnapshot.Status.QUEUED
    snapshot.progress = 0
    snapshot.error = ""
    snapshot.requested_by = actor if actor.is_authenticated else None
    snapshot.save()
    result = compute_network.enqueue(snapshot.pk)
    NetworkSnapshot.objects.filter(pk=snapshot.pk, task_id="").update(task_id=str(result.id))
    snapshot.refresh_from_db()
    return snapshot


def _progress(snapshot_id: int, percent: int, status: str = NetworkSnapshot.Status.RUNNING) -> None:
    NetworkSnapshot.objects.filter(pk=snapshot_id).update(status=status, progress=percent)


def snapshot_compute(
    *, snapshot_id: int, progress: Callable[[int], None] | None = None
) -> NetworkSnapshot | None:
    """Compute a snapshot: build its scope's graph, measure it, lay it out, store it. Run by the
    background task; safe to run again. The graph is built as the person who asked may see it,
    and only if that is still the snapshot's scope (memberships change): otherwise it fails and
    must be asked for again."""
    snapshot = NetworkSnapshot.objects.select_related("requested_by").filter(pk=snapshot_id).first()
    if snapshot is None:
        return None

    def step(percent: int) -> None:
        _progress(snapshot_id, percent)
        if progress:
            progress(percent)

    viewer = snapshot.requested_by or AnonymousUser()
    if scope_of(viewer) != snapshot.scope:
        _fail(snapshot_id, _("Your organizations changed since you asked: ask again."))
        return None
    step(5)
    try:
        filters = NetworkFilter.from_key(snapshot.filters_key)
        graph, partnerships = build_graph(viewer, filters)
        step(30)
        between, _exact = measures.betweenness(graph)
        step(60)
        group = {n: d["group"] for n, d in graph.nodes(data=True)}
        roles = measures.brokerage(graph, group)
        side = {n: d["side"] for n, d in graph.nodes(data=True)}
        bridges = measures.bridges(graph, side)
        step(80)
        drawing = _drawing(graph, roles)
        _store(snapshot_id, graph, partnerships, between, roles, bridges, drawing)
    except Exception:
        logger.exception("network snapshot %s failed", snapshot_id)
        _fail(snapshot_id, _("The network could not be computed."))
        return None
    if progress:
        progress(100)
    return NetworkSnapshot.objects.get(pk=snapshot_id)


def _fail(snapshot_id: int, error: str) -> None:
    NetworkSnapshot.objects.filter(pk=snapshot_id).update(
        status=NetworkSnapshot.Status.FAILED, progress=100, error=error[:300], task_id=""
    )


def _drawing(graph, roles) -> dict:
    """What the page draws: every organization (small graphs) or each group with its size and
    the ties between groups (large graphs)."""
    if graph.number_of_nodes() <= SUMMARIZE_OVER:
        where = measures.grouped_circle_layout(
            sorted(graph.nodes, key=lambda n: graph.nodes[n]["label"]),
            lambda n: graph.nodes[n]["group"],
            SIZE,
        )
        return {
            "summarized": False,
            "nodes": [
                [
                    n,
                    graph.nodes[n]["label"],
                    graph.nodes[n]["group"],
                    *where[n],
                    measures.main_role(roles[n]),
                ]
                for n in sorted(graph.nodes)
            ],
            "edges": [[a, b, _weight(t)] for a, b, t in graph.edges(data="tie")],
        }
    sizes: dict[str, int] = {}
    for _n, g in graph.nodes(data="group"):
        sizes[g] = sizes.get(g, 0) + 1
    between: dict[tuple[str, str], int] = {}
    for a, b in graph.edges:
        ga, gb = sorted((graph.nodes[a]["group"], graph.nodes[b]["group"]))
        between[(ga, gb)] = between.get((ga, gb), 0) + 1
    # The largest groups are drawn; the rest are one "other" circle, so the picture stays legible.
    shown = sorted(sizes, key=lambda g: (-sizes[g], g))[:24]
    where = measures.grouped_circle_layout(shown, str, SIZE) if len(shown) > 1 else {}
    if len(shown) == 1:
        where = {shown[0]: (SIZE / 2, SIZE / 2)}
    return {
        "summarized": True,
        "groups": [[g, sizes[g], *where[g]] for g in shown],
        "others": sum(n for g, n in sizes.items() if g not in where),
        "ties": sorted(
            ([ga, gb, n] for (ga, gb), n in between.items()), key=lambda t: (-t[2], t[0], t[1])
        ),
    }


def _weight(tie) -> int:
    return len(tie.partnerships) + len(tie.memberships)


@transaction.atomic
def _store(snapshot_id, graph, partnerships, between, roles, bridges, drawing) -> None:
    NetworkNode.objects.filter(snapshot_id=snapshot_id).delete()
    rows = []
    for n, data in graph.nodes(data=True):
        counts = roles[n]
        rows.append(
            NetworkNode(
                snapshot_id=snapshot_id,
                organization_id=n,
                label=data["label"][:230],
                kind=data["kind"],
                country=data["country"],
                group=data["group"][:40],
                degree=graph.degree(n),
                betweenness=round(between.get(n, 0.0), 6),
                main_role=measures.main_role(counts),
                **counts,
            )
        )
    NetworkNode.objects.bulk_create(rows, batch_size=2000)
    labels = graph.nodes
    NetworkSnapshot.objects.filter(pk=snapshot_id).update(
        status=NetworkSnapshot.Status.DONE,
        progress=100,
        error="",
        task_id="",
        node_count=graph.number_of_nodes(),
        edge_count=graph.number_of_edges(),
        partnership_count=partnerships,
        drawing=drawing,
        bridges={
            kind: [[v, labels[v]["label"], n] for v, n in items[:5]]
            for kind, items in bridges.items()
        },
        edges=[
            [a, b, len(t.partnerships), len(t.memberships)] for a, b, t in graph.edges(data="tie")
        ],
        computed_at=timezone.now(),
    )
