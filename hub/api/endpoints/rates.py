"""Valuation rates: organizations' constants for valuing in-kind support, public to read.

A rate is fetched through `get_rate_for`; money travels as decimal strings.
"""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import Cursor, Limit, RecordId, prepared, refuse_repeated
from hub.api.endpoints.directory import org_ref
from hub.api.endpoints.money import money
from hub.api.pagination import Ordering, paginate
from hub.api.problems import Problem
from hub.api.schemas import RateOut, RatePage
from hub.funding.rates.access import get_rate_for
from hub.funding.rates.models import ValuationRate

router = Router(tags=["funding"], auth=READ_AUTH)

RATE_ORDERING = Ordering("from", "valid_from", descending=True, kind="date")


def rate_out(rate: ValuationRate) -> dict:
    return {
        "id": rate.pk,
        "organization": org_ref(rate.organization),
        "category": rate.category,
        "unit": rate.unit,
        "amount": money(rate.amount),
        "currency": rate.currency,
        "valid_from": rate.valid_from,
        "valid_to": rate.valid_to,
        "note": rate.note,
    }


class RateQuery(Schema):
    organization: int | None = Field(None, ge=1, le=2**62, description="Id of the organization.")


@router.get(
    "/valuation-rates",
    response={200: RatePage, 422: Problem},
    url_name="rate_list",
    summary="List valuation rates",
)
def rate_list(
    request: HttpRequest, filters: Query[RateQuery], limit: Limit = 50, cursor: Cursor = None
):
    """Organizations' constants (an hour of volunteer time, a day of space...): public."""
    refuse_repeated(request, RateQuery)
    qs = ValuationRate.objects.select_related("organization")
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    notices: list[str] = []
    rows, next_url = paginate(
        request, qs, RATE_ORDERING, limit=limit, cursor=cursor, notices=notices
    )
    items = [rate_out(r) for r in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


@router.get(
    "/valuation-rates/{id}",
    response={200: RateOut, 404: Problem},
    url_name="rate_detail",
    summary="Read a valuation rate",
)
def rate_detail(request: HttpRequest, id: RecordId):
    return rate_out(get_rate_for(caller(request), id))
