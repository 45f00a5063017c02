"""An alliance's collective-impact assessments and its role map: read only.

Reads go through hub.alliances' QuerySets (`Assessment.objects.visible_to`) and access helpers;
evidence is listed only when the caller may see its record, and the role map counts only the
partnerships the caller may see, like the pages.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from hub.alliances.assessments import evidence, rubric
from hub.alliances.assessments.access import get_alliance_for
from hub.alliances.assessments.models import Assessment, Evidence, Score
from hub.alliances.assessments.roles import role_map
from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import RecordId, page_url, prepared
from hub.api.endpoints.alliances_collective_schemas import AssessmentList, RoleMapOut
from hub.api.endpoints.directory import org_ref
from hub.api.problems import Problem

router = Router(tags=["alliances"], auth=READ_AUTH)


def _assessment_out(request: HttpRequest, a: Assessment, links: dict) -> dict:
    return {
        "id": a.pk,
        "alliance": org_ref(a.alliance),
        "assessor": a.assessor_name,
        "organization": org_ref(a.organization),
        "assessed_on": a.assessed_on,
        "sharing": a.sharing,
        "note": a.note,
        "scores": [
            {
                "item": s.item,
                "part": rubric.BY_KEY[s.item].part,
                "level": s.level,
                "comment": s.comment,
                "evidence": [
                    {
                        "kind": e.kind,
                        "id": e.object_id,
                        "title": e.title,
                        "url": request.build_absolute_uri(e.url),
                    }
                    for e in links.get(s.pk, [])
                ],
            }
            for s in a.scores.all()
        ],
        "is_demo": a.is_demo,
        "version": a.version,
        "url": page_url(request, "alliances:assessment_detail", a.pk),
    }


@router.get(
    "/alliances/{id}/assessments",
    response={200: AssessmentList, 404: Problem},
    url_name="alliance_assessments",
    summary="List an alliance's collective-impact assessments",
    description="Shared with the alliance's members or the movement, or your own drafts; "
    "anonymous callers read none.",
)
def alliance_assessments(request: HttpRequest, id: RecordId):
    user = caller(request)
    alliance = get_alliance_for(user, id)
    found = list(
        Assessment.objects.visible_to(user)
        .filter(alliance=alliance)
        .select_related("alliance", "assessor", "organization")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("pk")))
        .order_by("-assessed_on", "-pk")
    )
    links = evidence.shown(user, Evidence.objects.filter(score__assessment__in=found))
    return prepared(request, {"items": [_assessment_out(request, a, links) for a in found]})


@router.get(
    "/alliances/{id}/roles",
    response={200: RoleMapOut, 404: Problem},
    url_name="alliance_roles",
    summary="Read an alliance's role map",
    description="Which organization plays which role in the partnerships of the alliance and "
    "its members that you may see, and which roles nobody plays.",
)
def alliance_roles(request: HttpRequest, id: RecordId):
    user = caller(request)
    alliance = get_alliance_for(user, id)
    found = role_map(user, alliance)
    return prepared(
        request,
        {
            "alliance": org_ref(alliance),
            "partnerships": found.partnerships,
            "organizations": [
                {
                    "organization": org_ref(row.organization),
                    "member": row.is_member,
                    "roles": [
                        {"role": role.value, "partnerships": n}
                        for role, n in zip(found.roles, row.counts, strict=True)
                        if n
                    ],
                }
                for row in found.rows
            ],
            "unplayed": [role.value for role in found.unplayed],
        },
    )
