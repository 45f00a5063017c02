"""The network map's downloads: GEXF for Gephi (with time spells) and Kumu-ready CSV.

Both are built from the viewer's own graph (hub/alliances/network/graph.py), so they hold only
what the viewer may see, with the measures of the viewer's computed snapshot when there is one.

GEXF: a dynamic graph whose time is dates (timeformat "date"), given as intervals only (Gephi
cannot mix timestamps and intervals): a tie lives in one spell per partnership or membership, from
its start (or end) date to its end date; an open end is left out of the spell, and a tie with no
date at all has no spell (it is always there).
"""

from __future__ import annotations

import csv
import io
import zipfile

import networkx as nx

from hub.alliances.network.graph import Tie
from hub.alliances.network.models import NetworkNode, NetworkSnapshot

KUMU_ELEMENTS = ["Label", "Type", "Country", "Short code", "Group", "Degree", "Betweenness",
                 "Brokerage role", "Tags"]  # fmt: skip
KUMU_CONNECTIONS = ["From", "To", "Type", "Partnerships", "Description"]


def _measures(snapshot: NetworkSnapshot | None) -> dict[int, NetworkNode]:
    if snapshot is None or snapshot.status != NetworkSnapshot.Status.DONE:
        return {}
    return {n.organization_id: n for n in snapshot.nodes.all()}


def _spells(tie: Tie) -> list[tuple[str | None, str | None]]:
    spells = []
    dated = [(p[2], p[3]) for p in tie.partnerships] + [(m[1], m[2]) for m in tie.memberships]
    for start, end in dated:
        if start or end:
            spells.append((start or None, end or None))
    return sorted(set(spells), key=lambda s: (s[0] or "", s[1] or ""))


def gexf(graph: nx.Graph, snapshot: NetworkSnapshot | None) -> bytes:
    measured = _measures(snapshot)
    out = nx.Graph()
    for n, data in graph.nodes(data=True):
        attrs = {"label": data["label"], "kind": data["kind"], "country": data["country"]}
        if node := measured.get(n):
            attrs.update(
                degree=node.degree,
                betweenness=node.betweenness,
                brokerage_role=node.main_role or "none",
            )
        out.add_node(str(n), **attrs)
    for a, b, tie in graph.edges(data="tie"):
        attrs = {
            "weight": float(len(tie.partnerships) + len(tie.memberships)),
            "tie": "alliance" if tie.memberships and not tie.partnerships else "partnership",
            "label": " | ".join(p[1] for p in tie.partnerships)[:500] or "alliance membership",
        }
        if spells := _spells(tie):
            attrs["spells"] = spells
        out.add_edge(str(a), str(b), **attrs)
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer)
    return buffer.getvalue()


def _unique_labels(graph: nx.Graph) -> dict[int, str]:
    """Kumu matches elements on their Label: two organizations of one name get their id added."""
    seen: dict[str, int] = {}
    for _n, label in graph.nodes(data="label"):
        seen[label] = seen.get(label, 0) + 1
    return {
        n: label if seen[label] == 1 else f"{label} #{n}" for n, label in graph.nodes(data="label")
    }


def _safe(value: object) -> object:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def kumu_zip(graph: nx.Graph, snapshot: NetworkSnapshot | None) -> bytes:
    measured = _measures(snapshot)
    labels = _unique_labels(graph)
    elements = io.StringIO()
    writer = csv.writer(elements)
    writer.writerow(KUMU_ELEMENTS)
    for n, data in sorted(graph.nodes(data=True), key=lambda item: labels[item[0]]):
        node = measured.get(n)
        writer.writerow(
            _safe(v)
            for v in [
                labels[n],
                data["kind"],
                data["country"],
                data["code"],
                data["group"],
                node.degree if node else graph.degree(n),
                node.betweenness if node else "",
                node.main_role if node else "",
                "movement" if data["side"] == "movement" else "external",
            ]
        )
    connections = io.StringIO()
    writer = csv.writer(connections)
    writer.writerow(KUMU_CONNECTIONS)
    for a, b, tie in sorted(graph.edges(data="tie"), key=lambda e: (labels[e[0]], labels[e[1]])):
        if tie.partnerships:
            writer.writerow(
                _safe(v)
                for v in [
                    labels[a],
                    labels[b],
                    "partnership",
                    "|".join(p[1].replace("|", "/") for p in tie.partnerships),
                    "",
                ]
            )
        if tie.memberships:
            roles = ", ".join(sorted({m[0] for m in tie.memberships}))
            writer.writerow(
                _safe(v) for v in [labels[a], labels[b], "alliance membership", "", roles]
            )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("elements.csv", elements.getvalue())
        archive.writestr("connections.csv", connections.getvalue())
    return buffer.getvalue()
