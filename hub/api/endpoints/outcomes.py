"""Outcomes: metric definitions, figures (read, filter, record) and roll-ups of an organization,
an alliance or the movement that never double count.

Reads go through `Figure.objects.visible_to` and hub.outcomes.rollups over the caller's visible
partnerships; a figure is recorded through hub.outcomes.services (may edit the partnership).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import Cursor, Limit, RecordId, may_create, prepared, refuse_repeated
from hub.api.endpoints.directory import org_ref
from hub.api.pagination import Ordering, paginate
from hub.api.problems import Problem
from hub.api.schemas import (
    Id,
    IsoDate,
    Money,
    OrganizationRef,
    Out,
    Page,
    PartnershipRef,
    Strict,
    text,
)
from hub.directory.access import get_organization_for
from hub.outcomes import rollups, services
from hub.outcomes.models import Figure, MetricDefinition, plain_number
from hub.partnerships.access import get_partnership_for

router = Router(tags=["outcomes"], auth=READ_AUTH)
NEWEST = Ordering("-created", "created_at", descending=True, kind="datetime")


class DefinitionRef(Out):
    key: str
    version: int
    name: str
    url: str


class DefinitionOut(DefinitionRef):
    method: str
    exclusions: str
    unit: str
    counted_by: str = Field(description="The kind of key a figure lists; empty for totals only.")
    source_tool: str
    sources: list[str]
    confirmed: bool = Field(description="False when no source confirms the wording.")


class DefinitionList(Out):
    items: list[DefinitionOut]


class FigureOut(Out):
    id: int
    partnership: PartnershipRef
    definition: DefinitionRef
    period_start: datetime.date
    period_end: datetime.date
    value: str
    source: str
    source_ref: str
    taken_at: datetime.datetime
    note: str
    keys: int = Field(description="How many keys (files, participants, items...) it lists.")


class FigurePage(Page):
    items: list[FigureOut]


class FigureQuery(Schema):
    partnership: int | None = Field(
        None, ge=1, le=2**53, description="Figures of this partnership."
    )
    metric: str | None = Field(None, max_length=50, description="A metric key, e.g. participants.")


class FigureIn(Schema):
    model_config = Strict
    partnership: Id
    metric: Annotated[str, text(50)]
    version: int | None = Field(
        None, ge=1, le=2**31, description="The definition's version; the newest if left out."
    )
    period_start: IsoDate
    period_end: IsoDate
    value: Money | None = Field(None, description="Left out: the number of keys.")
    source: Literal["hand", "asserted"] = "hand"
    note: Annotated[str, text(5000)] = ""
    keys: list[Annotated[str, text(400)]] = Field(
        default_factory=list, max_length=services.MAX_KEYS
    )


class TotalOut(Out):
    definition: DefinitionRef
    value: str
    partnerships: int
    distinct_keys: int
    keyed_figures: int
    summed: str
    summed_figures: int
    repeats_counted_once: int
    asserted_figures: int = Field(description="Summed figures the organiser asserted, not counted.")
    sharing_partners: int
    method: str = Field(description="How the total was made, in the caller's language.")


class TotalsQuery(Schema):
    year: int | None = Field(
        None, ge=2001, le=2100, description="Only figures whose period overlaps this year."
    )


class RollupOut(Out):
    organization: OrganizationRef | None
    totals: list[TotalOut]


def _definition_ref(request, definition: MetricDefinition) -> dict:
    return {
        "key": definition.key,
        "version": definition.version,
        "name": definition.label,
        "url": request.build_absolute_uri(definition.get_absolute_url()),
    }


def _definition_out(request, definition: MetricDefinition) -> dict:
    return {
        **_definition_ref(request, definition),
        "method": definition.method,
        "exclusions": definition.exclusions,
        "unit": definition.unit,
        "counted_by": definition.key_kind,
        "source_tool": definition.source_tool,
        "sources": definition.sources.split(),
        "confirmed": definition.confirmed,
    }


def _figure_out(request, figure) -> dict:
    return {
        "id": figure.pk,
        "partnership": {"id": figure.partnership_id, "title": figure.partnership.title},
        "definition": _definition_ref(request, figure.definition),
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "value": plain_number(figure.value),
        "source": figure.source,
        "source_ref": figure.source_ref,
        "taken_at": figure.taken_at,
        "note": figure.note,
        "keys": figure.key_count,
    }


def _figures(user):
    return (
        Figure.objects.visible_to(user)
        .select_related("definition", "partnership")
        .annotate(key_count=Count("keys"))
    )


def _total_out(request, total: rollups.Total) -> dict:
    return {
        "definition": _definition_ref(request, total.definition),
        "value": plain_number(total.value),
        "partnerships": total.partnerships,
        "distinct_keys": total.distinct_keys,
        "keyed_figures": total.keyed_figures,
        "summed": plain_number(total.summed),
        "summed_figures": total.summed_figures,
        "repeats_counted_once": total.repeats_counted_once,
        "asserted_figures": total.asserted_figures,
        "sharing_partners": total.sharing_partners,
        "method": total.method,
    }


@router.get(
    "/outcomes/definitions",
    response={200: DefinitionList},
    url_name="outcome_definition_list",
    summary="List the metric definitions",
    description="Every version of every metric; a figure names the version it was measured with.",
)
def outcome_definition_list(request: HttpRequest):
    items = [_definition_out(request, d) for d in MetricDefinition.objects.all()]
    return prepared(request, {"items": items})


@router.get(
    "/outcomes/figures",
    response={200: FigurePage, 422: Problem},
    url_name="outcome_figure_list",
    summary="List outcome figures",
)
def outcome_figure_list(
    request: HttpRequest, filters: Query[FigureQuery], limit: Limit = 50, cursor: Cursor = None
):
    refuse_repeated(request, FigureQuery)
    qs = _figures(caller(request))
    if filters.partnership is not None:
        qs = qs.filter(partnership=filters.partnership)
    if filters.metric:
        qs = qs.filter(definition__key=filters.metric)
    notices: list[str] = []
    rows, next_url = paginate(request, qs, NEWEST, limit=limit, cursor=cursor, notices=notices)
    items = [_figure_out(request, f) for f in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.post(
    "/outcomes/figures",
    auth=write_auth(may_create),
    response={201: FigureOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="outcome_figure_create",
    summary="Record an outcome figure",
    description="For editors of the partnership. Keys go into the attribution ledger.",
)
def outcome_figure_create(request: HttpRequest, response: HttpResponse, payload: FigureIn):
    user = caller(request)
    partnership = get_partnership_for(
        user,
        payload.partnership,
        edit=True,
        refusal=_("You cannot edit the outcomes of this partnership."),
    )
    definitions = MetricDefinition.objects.filter(key=payload.metric)
    definition = (
        definitions.filter(version=payload.version).first()
        if payload.version
        else definitions.current().first()
    )
    if definition is None:
        raise ValidationError({"metric": _("There is no such metric (or version of it).")})
    figure = services.figure_create(
        actor=user,
        partnership=partnership,
        definition=definition,
        period_start=payload.period_start,
        period_end=payload.period_end,
        value=payload.value,
        source=payload.source,
        note=payload.note,
        keys=payload.keys,
    )
    response["Location"] = request.build_absolute_uri(
        f"{request.path.rstrip('/')}?partnership={partnership.pk}"
    )
    return prepared(request, _figure_out(request, _figures(user).get(pk=figure.pk)), 201)


@router.get(
    "/outcomes/totals",
    response={200: RollupOut, 422: Problem},
    url_name="outcome_movement_totals",
    summary="The movement's outcome totals",
    description="Over the partnerships you may see; distinct keys, never sums of children.",
)
def outcome_movement_totals(request: HttpRequest, filters: Query[TotalsQuery]):
    refuse_repeated(request, TotalsQuery)
    totals = rollups.totals(rollups.movement_partnerships(caller(request)), year=filters.year)
    return prepared(
        request, {"organization": None, "totals": [_total_out(request, t) for t in totals]}
    )


@router.get(
    "/organizations/{id}/outcomes",
    response={200: RollupOut, 404: Problem},
    url_name="organization_outcomes",
    summary="An organization's or alliance's outcome totals",
    description="An organization: its partnerships; an alliance or hub: its own and its members'. "
    "Only partnerships you may see count.",
)
def organization_outcomes(request: HttpRequest, id: RecordId):
    user = caller(request)
    organization = get_organization_for(user, id)
    totals = rollups.totals_for_organization(user, organization)
    return prepared(
        request,
        {
            "organization": org_ref(organization),
            "totals": [_total_out(request, t) for t in totals],
        },
    )
