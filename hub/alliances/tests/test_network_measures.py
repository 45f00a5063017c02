"""The brokerage roles against the published definitions, computed by hand.

Gould, R. V. and Fernandez, R. M. (1989). "Structures of Mediation: A Formal Approach to Brokerage
in Transaction Networks." Sociological Methodology 19: 89-126, Figure 1: the five brokerage
relations, each a directed two-path a -> v -> b (no tie a -> b) with the groups of a, v and b:
coordinator (all one group), itinerant or consultant (a and b share a group, v is outside it),
gatekeeper (v and b share a group, a outside), representative (a and v share a group, b outside)
and liaison (three groups). The same roles are R's sna::brokerage (w_I, w_O, b_OI, b_IO, b_O).
"""

import itertools

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.alliances.network import measures

FIGURE_1 = {
    # role: groups of (a, v, b)
    "coordinator": ("A", "A", "A"),
    "itinerant": ("A", "B", "A"),
    "gatekeeper": ("A", "B", "B"),
    "representative": ("A", "A", "B"),
    "liaison": ("A", "B", "C"),
}


def _triad(groups):
    graph = nx.DiGraph([("a", "v"), ("v", "b")])
    return graph, dict(zip("avb", groups, strict=True))


def test_each_triad_of_gould_and_fernandez_figure_1_is_its_role():
    for role, groups in FIGURE_1.items():
        graph, group = _triad(groups)
        counts = measures.brokerage(graph, group)
        assert counts["v"] == {r: int(r == role) for r in measures.ROLES}, role
        assert counts["a"] == counts["b"] == dict.fromkeys(measures.ROLES, 0)
        assert measures.main_role(counts["v"]) == role


def test_a_tie_from_a_to_b_closes_the_path():
    graph, group = _triad(("A", "A", "A"))
    graph.add_edge("a", "b")
    assert measures.brokerage(graph, group)["v"]["coordinator"] == 0
    graph.remove_edge("a", "b")
    graph.add_edge("b", "a")  # the other direction leaves a -> v -> b open
    assert measures.brokerage(graph, group)["v"]["coordinator"] == 1


def test_an_undirected_network_by_hand():
    """Two chapters C1, C2 (group "chapter"), a museum M1 and M2, a university U:

        C2 - C1 - M1        C1 - M2        M1 - M2        C1 - U

    C1's neighbours are C2, M1, M2, U; the open pairs among them are all but {M1, M2} (tied):
    {C2, M1}, {C2, M2}, {C2, U} (chapter-outsider: one representative and one gatekeeper path
    each), {M1, U}, {M2, U} (two different outside groups: two liaison paths each). So C1 is
    representative 3, gatekeeper 3, liaison 4, coordinator 0, itinerant 0. M1's neighbours C1
    and M2 are tied: M1 brokers nothing; nor do C2 and U (one neighbour each)."""
    graph = nx.Graph([("C2", "C1"), ("C1", "M1"), ("C1", "M2"), ("M1", "M2"), ("C1", "U")])
    group = {"C1": "chapter", "C2": "chapter", "M1": "museum", "M2": "museum", "U": "university"}
    counts = measures.brokerage(graph, group)
    assert counts["C1"] == {
        "coordinator": 0,
        "itinerant": 0,
        "gatekeeper": 3,
        "representative": 3,
        "liaison": 4,
    }
    for other in ("C2", "M1", "M2", "U"):
        assert sum(counts[other].values()) == 0
    assert measures.main_role(counts["C1"]) == "liaison"
    # Who connects the movement to museums: C1, between C2 and M1, and C2 and M2.
    side = {n: "movement" if n.startswith("C") else g for n, g in group.items()}
    assert measures.bridges(graph, side) == {
        "museum": [("C1", 2)],
        "university": [("C1", 1)],
    }


def test_betweenness_and_degree_of_a_chain_by_hand():
    """In the chain a - b - c - d, b lies on the shortest paths a-c and a-d: 2 of the 3 pairs
    not involving b, so its normalized betweenness is 2/3; the ends are on none."""
    graph = nx.path_graph(["a", "b", "c", "d"])
    between, exact = measures.betweenness(graph)
    assert exact
    assert between == {"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0}
    assert dict(graph.degree) == {"a": 1, "b": 2, "c": 2, "d": 1}


def _brute_force(graph, group):
    pred = graph.pred if graph.is_directed() else graph.adj
    succ = graph.succ if graph.is_directed() else graph.adj
    counts = {}
    for v in graph:
        c = dict.fromkeys(measures.ROLES, 0)
        for a, b in itertools.product(pred[v], succ[v]):
            if len({a, v, b}) == 3 and b not in succ[a]:
                c[measures.role_of(group[a], group[v], group[b])] += 1
        counts[v] = c
    return counts


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=40),
    groups=st.lists(st.sampled_from("xyz"), min_size=10, max_size=10),
    directed=st.booleans(),
)
def test_the_fast_count_equals_checking_every_pair(edges, groups, directed):
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(10))
    graph.add_edges_from(edges)
    group = dict(enumerate(groups))
    assert measures.brokerage(graph, group) == _brute_force(graph, group)


def test_undirected_ties_count_gatekeeper_and_representative_alike():
    graph = nx.gnm_random_graph(30, 70, seed=3)
    group = {n: "abc"[n % 3] for n in graph}
    for counts in measures.brokerage(graph, group).values():
        assert counts["gatekeeper"] == counts["representative"]
        assert counts["coordinator"] % 2 == counts["itinerant"] % 2 == counts["liaison"] % 2 == 0
