"""The network map: the caller's computed snapshot of a filter set, its organizations with their
measures and the ties among them.

Read through hub.alliances.network (the snapshot of the caller's own visibility scope: never one
computed over records the caller may not see). Computing is asked for on the page
(/alliances/network/); this answers `not_computed` until it is done.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hub.alliances.network.graph import NetworkFilter
from hub.alliances.network.models import ROLES, NetworkSnapshot
from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import prepared, refuse_repeated
from hub.api.problems import Problem
from hub.api.schemas import Id, Out

router = Router(tags=["network"], auth=READ_AUTH)
Year = Annotated[int, Field(ge=1990, le=2100)]


class NetworkQuery(Schema):
    alliance: Id | None = Field(None, description="Members of this alliance or hub.")
    country: str | None = Field(None, max_length=2, description="ISO 3166 country code.")
    region: str | None = Field(None, max_length=30, description="A world region code.")
    kind: str | None = Field(None, max_length=30, description="An organization kind.")
    year_from: Year | None = None
    year_to: Year | None = None
    group: Literal["kind", "country", "sector"] | None = Field(
        None, description="The groups of the brokerage roles (default kind)."
    )
    limit: int = Field(500, ge=1, le=5000, description="Organizations per answer.")
    offset: int = Field(0, ge=0, le=10_000_000)


class RolesOut(Out):
    coordinator: int
    itinerant: int
    gatekeeper: int
    representative: int
    liaison: int


class NodeOut(Out):
    id: int = Field(description="The organization's id.")
    label: str
    kind: str
    country: str
    group: str
    degree: int
    betweenness: float
    main_role: str = Field(description="The role it plays most often; empty when none.")
    roles: RolesOut


class EdgeOut(Out):
    source: int
    target: int
    partnerships: int = Field(description="How many partnerships the two share.")
    memberships: int = Field(description="Memberships of one in the other (an alliance).")


class NetworkOut(Out):
    status: Literal["not_computed", "queued", "running", "done", "failed"]
    progress: int
    computed_at: datetime.datetime | None
    group: str
    count: int = Field(description="Organizations in the whole network.")
    partnerships: int
    nodes: list[NodeOut] = Field(description="Ordered by betweenness, then degree.")
    edges: list[EdgeOut] = Field(description="The ties between the organizations listed.")
    next_offset: int | None
    notices: list[str]


@router.get(
    "/network",
    response={200: NetworkOut, 422: Problem},
    url_name="network_map",
    summary="Read the network map",
)
def network_map(request: HttpRequest, params: Query[NetworkQuery]):
    refuse_repeated(request, NetworkQuery)
    user = caller(request)
    given = params.model_dump(exclude={"limit", "offset"}, exclude_none=True)
    filters = NetworkFilter({k: str(v) for k, v in given.items()})
    snapshot = NetworkSnapshot.objects.visible_to(user).filter(filters_key=filters.key).first()
    answer: dict = {
        "status": "not_computed",
        "progress": 0,
        "computed_at": None,
        "group": filters.grouping,
        "count": 0,
        "partnerships": 0,
        "nodes": [],
        "edges": [],
        "next_offset": None,
        "notices": [str(n) for n in filters.notices],
    }
    if snapshot is None:
        return prepared(request, answer)
    answer.update(status=snapshot.status, progress=snapshot.progress)
    if snapshot.computed_at is None:
        return prepared(request, answer)
    start, end = params.offset, params.offset + params.limit
    nodes = list(snapshot.nodes.all()[start:end])
    ids = {n.organization_id for n in nodes}
    answer.update(
        computed_at=snapshot.computed_at,
        count=snapshot.node_count,
        partnerships=snapshot.partnership_count,
        next_offset=end if end < snapshot.node_count else None,
        nodes=[
            {
                "id": n.organization_id,
                "label": n.label,
                "kind": n.kind,
                "country": n.country,
                "group": n.group,
                "degree": n.degree,
                "betweenness": n.betweenness,
                "main_role": n.main_role,
                "roles": {role: getattr(n, role) for role in ROLES},
            }
            for n in nodes
        ],
        edges=[
            {"source": a, "target": b, "partnerships": p, "memberships": m}
            for a, b, p, m in snapshot.edges
            if a in ids and b in ids
        ],
    )
    return prepared(request, answer)
