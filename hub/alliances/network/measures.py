"""Graph measures of the network map: degree and betweenness from networkx, and the
Gould-Fernandez brokerage roles, which networkx does not have, written here over its graph.

Brokerage (Gould and Fernandez 1989, "Structures of Mediation", Sociological Methodology 19):
a node v brokers each open two-path a -> v -> b where a != b and there is no tie a -> b. With
groups g(), the path is v's
- coordinator role when g(a) = g(v) = g(b)          (w_I)
- itinerant role when g(a) = g(b) != g(v)           (w_O)
- gatekeeper role when g(a) != g(v) = g(b)          (b_OI: an outsider reaches v's group)
- representative role when g(a) = g(v) != g(b)      (b_IO: v's group reaches an outsider)
- liaison role when the three groups all differ     (b_O)

Direction: the hub's ties (a shared partnership, a membership of an alliance) have none, so an
undirected graph is read as every tie in both directions, as R's sna::brokerage reads a symmetric
matrix. Each unordered open pair {a, b} is then two paths, a -> v -> b and b -> v -> a: the
coordinator, itinerant and liaison counts are twice the number of open pairs, and the gatekeeper
and representative counts of a node are always equal (one of each per pair). Directed graphs are
taken as they are (the tests check the published directed triads).

The count runs in time close to the sum of the degrees rather than their squares: the pairs of
neighbours are counted by group, and only the closed pairs (a tie a -> b, rare in this data) are
walked and taken off.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping

import networkx as nx

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
EXACT_BETWEENNESS_UP_TO = 2000  # nodes; above, networkx samples this many sources (seeded)
SAMPLED_SOURCES = 400
MIN_SOURCES = 50
WORK_BUDGET = 10_000_000  # sources x (nodes + ties): about half a minute of networkx


def _neighbours(graph: nx.Graph) -> tuple[Mapping, Mapping]:
    """(predecessors, successors) of every node; both the adjacency for an undirected graph."""
    if graph.is_directed():
        return graph.pred, graph.succ  # type: ignore[attr-defined]
    return graph.adj, graph.adj


def open_pairs(graph: nx.Graph, group: Mapping[Hashable, str]) -> dict[Hashable, Counter]:
    """For every node v, the open two-paths a -> v -> b it brokers, counted by (g(a), g(b))."""
    pred, succ = _neighbours(graph)
    result: dict[Hashable, Counter] = {}
    for v in graph:
        ins = set(pred[v]) - {v}
        outs = set(succ[v]) - {v}
        in_groups = Counter(group[a] for a in ins)
        out_groups = Counter(group[b] for b in outs)
        pairs: Counter = Counter()
        for ga, na in in_groups.items():
            for gb, nb in out_groups.items():
                pairs[(ga, gb)] = na * nb
        for a in ins:
            ga = group[a]
            if a in outs:
                pairs[(ga, ga)] -= 1  # a -> v -> a is no path
            ties = succ[a]
            # walk the smaller side: a hub's thousands of ties are not read once per neighbour
            closing = (
                [b for b in outs if b in ties] if len(outs) < len(ties) else outs.intersection(ties)
            )
            for b in closing:
                if b != a:
                    pairs[(ga, group[b])] -= 1  # a -> b closes it
        result[v] = +pairs
    return result


def role_of(ga: str, gv: str, gb: str) -> str:
    if ga == gv == gb:
        return "coordinator"
    if ga == gb:
        return "itinerant"
    if gb == gv:
        return "gatekeeper"
    if ga == gv:
        return "representative"
    return "liaison"


def brokerage(graph: nx.Graph, group: Mapping[Hashable, str]) -> dict[Hashable, dict[str, int]]:
    """Each node's count of open two-paths in each Gould-Fernandez role."""
    roles: dict[Hashable, dict[str, int]] = {}
    for v, pairs in open_pairs(graph, group).items():
        counts = dict.fromkeys(ROLES, 0)
        for (ga, gb), n in pairs.items():
            counts[role_of(ga, group[v], gb)] += n
        roles[v] = counts
    return roles


def main_role(counts: Mapping[str, int]) -> str:
    """The role a node plays most often ("" when it brokers nothing); ties go to ROLES' order."""
    best = max(ROLES, key=lambda role: (counts[role], -ROLES.index(role)))
    return best if counts[best] else ""


def bridges(
    graph: nx.Graph, side: Mapping[Hashable, str], movement: str = "movement"
) -> dict[str, list[tuple[Hashable, int]]]:
    """Who connects the movement to each type of external organization: for each type, the
    movement organizations v with open paths (movement a) - v - (b of that type), a != v, with
    how many such pairs, most first. `side` is "movement" or the external type of each node."""
    found: dict[str, list[tuple[Hashable, int]]] = {}
    for v, pairs in open_pairs(graph, side).items():
        if side[v] != movement:
            continue
        for (ga, gb), n in pairs.items():
            if ga == movement and gb != movement:
                found.setdefault(gb, []).append((v, n))
    return {kind: sorted(items, key=lambda item: -item[1]) for kind, items in found.items()}


def betweenness(graph: nx.Graph) -> tuple[dict[Hashable, float], bool]:
    """Normalized betweenness (networkx): exact on small graphs; on graphs over
    EXACT_BETWEENNESS_UP_TO nodes or WORK_BUDGET of work, estimated from MIN_SOURCES to
    SAMPLED_SOURCES sampled sources (seed 0: the same graph gives the same numbers).
    Returns the values and whether they are exact."""
    n = graph.number_of_nodes()
    size = n + graph.number_of_edges()
    if n <= EXACT_BETWEENNESS_UP_TO and n * size <= WORK_BUDGET:
        return nx.betweenness_centrality(graph, normalized=True), True
    # fewer sources on larger graphs, so that the task ends in minutes, not hours
    k = min(n, max(MIN_SOURCES, min(SAMPLED_SOURCES, WORK_BUDGET // size)))
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=0), False


def grouped_circle_layout(
    nodes: Iterable[Hashable], group: Callable[[Hashable], str], size: float = 1000.0
) -> dict[Hashable, tuple[float, float]]:
    """Positions in a size x size square: the groups around a large circle, each group's nodes
    around a small circle at its place, so that a group reads as a cluster (deterministic, no
    numpy: networkx's layouts need it)."""
    by_group: dict[str, list[Hashable]] = {}
    for node in nodes:
        by_group.setdefault(group(node), []).append(node)
    centre = size / 2
    groups = sorted(by_group)
    outer = size * 0.36 if len(groups) > 1 else 0.0
    positions: dict[Hashable, tuple[float, float]] = {}
    for i, name in enumerate(groups):
        angle = 2 * math.pi * i / len(groups)
        gx, gy = centre + outer * math.cos(angle), centre + outer * math.sin(angle)
        members = by_group[name]
        radius = 0.0 if len(members) == 1 else min(size * 0.12, 14.0 * len(members) / math.pi)
        for j, node in enumerate(members):
            a = 2 * math.pi * j / len(members)
            positions[node] = (
                round(gx + radius * math.cos(a), 1),
                round(gy + radius * math.sin(a), 1),
            )
    return positions
