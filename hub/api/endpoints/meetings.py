"""Meetings with their participants, decisions and action items, and the caller's action items:
read, and the quick status change of an action item.

Reads go through hub.meetings' QuerySets (`visible_to`) and hub.meetings.access. A private
participant is listed only to those who may edit the meeting, a contact person only to those who
may see the contact (others get `private_participants`, a count); a linked partnership only when the caller may see it.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    Cursor,
    Limit,
    RecordId,
    page_url,
    path_id,
    prepared,
    refuse_repeated,
)
from hub.api.endpoints.directory import org_ref
from hub.api.pagination import Ordering, paginate
from hub.api.problems import Problem
from hub.api.schemas import Id, OrganizationRef, Out, Page, PartnershipRef, Strict, VisibilityName
from hub.meetings import services
from hub.meetings.access import get_action_item_for, get_meeting_for
from hub.meetings.models import ActionItem, Meeting, participants_named_to
from hub.partnerships.models import Partnership

router = Router(tags=["meetings"], auth=READ_AUTH)
LATEST = Ordering("-starts", "starts_at", descending=True, kind="datetime")
NEWEST_ITEMS = Ordering("-created", "created_at", descending=True, kind="datetime")
ItemStatus = Literal["needs_action", "in_progress", "completed", "cancelled"]


class ParticipantOut(Out):
    name: str
    organization: OrganizationRef | None
    private: bool


class DecisionOut(Out):
    id: int
    statement: str
    review_on: datetime.date | None


class ActionItemOut(Out):
    id: int
    meeting: int
    what: str
    owner: str | None = Field(description="The username of the person who took it.")
    owner_organization: OrganizationRef | None
    due_on: datetime.date | None
    status: ItemStatus
    decision: int | None
    partnership: PartnershipRef | None = Field(description="Null also when you may not see it.")
    alliance: OrganizationRef | None
    completed_at: datetime.datetime | None
    remind_days_before: int
    url: str


class MeetingOut(Out):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str = Field(description="The IANA zone its times are given in on the pages.")
    place: str
    online_link: str
    organizations: list[OrganizationRef]
    agenda: str
    notes: str
    visibility: VisibilityName
    partnerships: list[PartnershipRef]
    alliances: list[OrganizationRef]
    participants: list[ParticipantOut] = Field(
        description="Private participants only for those who may edit the meeting; contact "
        "persons only for those who may see the contact."
    )
    private_participants: int = Field(description="How many participants are not listed.")
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]
    is_demo: bool
    version: int
    url: str


class MeetingPage(Page):
    items: list[MeetingOut]


class ActionItemPage(Page):
    items: list[ActionItemOut]


class MeetingQuery(Schema):
    when: Literal["upcoming", "past"] | None = Field(None, description="Upcoming or past only.")
    organization: Id | None = Field(None, description="Organized by this organization.")


class StatusIn(Schema):
    model_config = Strict

    status: ItemStatus


class ActionItemQuery(Schema):
    mine: Literal["assigned", "created", "all"] = Field(
        "all", description="Assigned to you, created by you, or either."
    )
    status: Literal["open", "done"] | None = Field(None, description="Open or done only.")


def _item_out(request: HttpRequest, item: ActionItem, seen: set[int]) -> dict:
    return {
        "id": item.pk,
        "meeting": item.meeting_id,
        "what": item.what,
        "owner": item.owner.username if item.owner is not None else None,
        "owner_organization": org_ref(item.owner_organization) if item.owner_organization else None,
        "due_on": item.due_on,
        "status": item.status,
        "decision": item.decision_id,
        "partnership": {"id": item.partnership.pk, "title": item.partnership.title}
        if item.partnership is not None and item.partnership.pk in seen
        else None,
        "alliance": org_ref(item.alliance) if item.alliance else None,
        "completed_at": item.completed_at,
        "remind_days_before": item.remind_days_before,
        "url": page_url(request, "meetings:detail", item.meeting_id) + f"#action-{item.pk}",
    }


def _seen_partnerships(user, items) -> set[int]:
    ids = {item.partnership_id for item in items if item.partnership_id}
    if not ids:
        return set()
    return set(Partnership.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


ITEM_RELATED = ("owner", "owner_organization", "partnership", "alliance")


def _meetings(user):
    items = ActionItem.objects.select_related(*ITEM_RELATED).order_by("pk")
    return Meeting.objects.visible_to(user).prefetch_related(
        "organizations",
        "alliances",
        "decisions",
        Prefetch("partnerships", queryset=Partnership.objects.visible_to(user)),
        "participants__user",
        "participants__person",
        "participants__organization",
        Prefetch("action_items", queryset=items),
    )


def _meeting_out(request: HttpRequest, meeting: Meeting, editable: set[int], seen: set[int]):
    participants = list(meeting.participants.all())
    shown = participants_named_to(caller(request), participants, can_edit=meeting.pk in editable)
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "time_zone": meeting.time_zone,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "organizations": [org_ref(o) for o in meeting.organizations.all()],
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        "visibility": meeting.visibility,
        "partnerships": [{"id": p.pk, "title": p.title} for p in meeting.partnerships.all()],
        "alliances": [org_ref(a) for a in meeting.alliances.all()],
        "participants": [
            {
                "name": p.display_name,
                "organization": org_ref(p.organization) if p.organization else None,
                "private": p.private,
            }
            for p in shown
        ],
        "private_participants": len(participants) - len(shown),
        "decisions": [
            {"id": d.pk, "statement": d.statement, "review_on": d.review_on}
            for d in meeting.decisions.all()
        ],
        "action_items": [_item_out(request, i, seen) for i in meeting.action_items.all()],
        "is_demo": meeting.is_demo,
        "version": meeting.version,
        "url": page_url(request, "meetings:detail", meeting.pk),
    }


def _answer(request: HttpRequest, user, meetings: list[Meeting]) -> list[dict]:
    ids = [m.pk for m in meetings]
    editable = set(
        Meeting.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    seen = _seen_partnerships(user, [i for m in meetings for i in m.action_items.all()])
    return [_meeting_out(request, m, editable, seen) for m in meetings]


@router.get(
    "/meetings",
    response={200: MeetingPage, 422: Problem},
    url_name="meeting_list",
    summary="List meetings",
)
def meeting_list(
    request: HttpRequest, filters: Query[MeetingQuery], limit: Limit = 50, cursor: Cursor = None
):
    refuse_repeated(request, MeetingQuery)
    user = caller(request)
    qs = _meetings(user)
    if filters.when == "upcoming":
        qs = qs.upcoming()
    elif filters.when == "past":
        qs = qs.past()
    if filters.organization is not None:
        qs = qs.filter(organizations=filters.organization)
    notices: list[str] = []
    rows, next_url = paginate(request, qs, LATEST, limit=limit, cursor=cursor, notices=notices)
    return prepared(
        request, {"items": _answer(request, user, rows), "next": next_url, "notices": notices}
    )


@router.get(
    "/meetings/{id}",
    response={200: MeetingOut, 404: Problem},
    url_name="meeting_detail",
    summary="Read a meeting",
)
def meeting_detail(request: HttpRequest, id: RecordId):
    user = caller(request)
    meeting = get_meeting_for(user, id)
    (found,) = list(_meetings(user).filter(pk=meeting.pk))
    return prepared(request, _answer(request, user, [found])[0])


@router.get(
    "/action-items",
    response={200: ActionItemPage, 422: Problem},
    url_name="action_item_list",
    summary="List your action items",
    description="The action items assigned to you or created by you, in meetings you may see.",
)
def action_item_list(
    request: HttpRequest,
    filters: Query[ActionItemQuery],
    limit: Limit = 50,
    cursor: Cursor = None,
):
    refuse_repeated(request, ActionItemQuery)
    user = caller(request)
    if not user.is_authenticated:
        return prepared(request, {"items": [], "next": None, "notices": []})
    mine = {"assigned": Q(owner=user), "created": Q(created_by=user)}.get(
        filters.mine, Q(owner=user) | Q(created_by=user)
    )
    qs = ActionItem.objects.visible_to(user).filter(mine).select_related(*ITEM_RELATED)
    if filters.status == "open":
        qs = qs.open()
    elif filters.status == "done":
        qs = qs.done()
    notices: list[str] = []
    rows, next_url = paginate(
        request, qs, NEWEST_ITEMS, limit=limit, cursor=cursor, notices=notices
    )
    seen = _seen_partnerships(user, rows)
    items = [_item_out(request, item, seen) for item in rows]
    return prepared(request, {"items": items, "next": next_url, "notices": notices})


def _may_change_status(request: HttpRequest) -> None:
    get_action_item_for(caller(request), path_id(request), status=True)


@router.post(
    "/action-items/{id}/status",
    auth=write_auth(_may_change_status),
    response={200: ActionItemOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="action_item_status",
    summary="Change the status of an action item",
    description="By its owner or the meeting's editors. Completing it records when.",
)
def action_item_status(request: HttpRequest, id: RecordId, payload: StatusIn):
    user = caller(request)
    item = get_action_item_for(user, id, status=True)
    services.action_item_set_status(actor=user, item=item, status=payload.status)
    found = ActionItem.objects.select_related(*ITEM_RELATED).get(pk=item.pk)
    return prepared(request, _item_out(request, found, _seen_partnerships(user, [found])))
