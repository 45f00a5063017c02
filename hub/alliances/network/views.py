"""The network map's pages: the map of a filter set (read from its snapshot), asking for a
computation, and the downloads. Fetch with the viewer's scope, respond; writes go through
services.snapshot_request."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.alliances.network import drawing, exports, services
from hub.alliances.network.graph import GROUPS, NetworkFilter, build_graph
from hub.alliances.network.models import NetworkSnapshot

PAGE_SIZE = 50


def snapshot_for(user, filters: NetworkFilter) -> NetworkSnapshot | None:
    """The viewer's snapshot of these filters (their own scope's, never another's), without the
    tie list the page does not need."""
    return (
        NetworkSnapshot.objects.visible_to(user)
        .filter(filters_key=filters.key)
        .defer("edges")
        .first()
    )


@require_GET
def network_map(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilter(request.GET)
    snapshot = snapshot_for(request.user, filters)
    context: dict = {
        "filters": filters,
        "snapshot": snapshot,
        "group_name": GROUPS[filters.grouping],
        "query": filters.key,
        # "/organizations/" + id + "/": one reverse() for the page, not one per row
        "organization_url": reverse("directory:organization", args=[1])[: -len("1/")],
    }
    if snapshot and snapshot.computed_at:
        nodes = snapshot.nodes.only(
            "organization_id", "label", "kind", "group", "degree", "betweenness", "main_role",
            "coordinator", "itinerant", "gatekeeper", "representative", "liaison",
        )  # fmt: skip
        paginator = Paginator(nodes, PAGE_SIZE)
        paginator.count = snapshot.node_count  # stored: no COUNT over the snapshot's rows
        page = paginator.get_page(request.GET.get("page"))
        for node in page.object_list:
            node.group_label = drawing.group_label(filters.grouping, node.group)  # type: ignore[attr-defined]
            node.role_label = drawing.role_label(node.main_role)  # type: ignore[attr-defined]
        context.update(
            page=page,
            svg=drawing.svg(snapshot.drawing, filters.grouping, _("The network map")),
            summarized=snapshot.drawing.get("summarized", False),
            groups=[
                (drawing.group_label(filters.grouping, g[0]), g[1])
                for g in snapshot.drawing.get("groups", [])
            ],
            group_ties=[
                (
                    drawing.group_label(filters.grouping, a),
                    drawing.group_label(filters.grouping, b),
                    n,
                )
                for a, b, n in snapshot.drawing.get("ties", [])[:30]
            ],
            bridges=[
                (drawing.group_label("kind", kind), items)
                for kind, items in sorted(snapshot.bridges.items())
            ],
        )
    return render(request, "alliances/network.html", context)


@require_POST
def network_compute(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilter(request.POST)
    services.snapshot_request(actor=request.user, filters=filters)
    return redirect(f"{reverse('alliances:network')}?{filters.key}")


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="network-{stamp}.{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def network_gexf(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilter(request.GET)
    graph, _count = build_graph(request.user, filters)
    body = exports.gexf(graph, snapshot_for(request.user, filters))
    return _download(body, "application/gexf+xml", "gexf")


@require_GET
def network_kumu(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilter(request.GET)
    graph, _count = build_graph(request.user, filters)
    body = exports.kumu_zip(graph, snapshot_for(request.user, filters))
    return _download(body, "application/zip", "kumu.zip")
