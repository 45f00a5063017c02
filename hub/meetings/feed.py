"""A person's calendar: the meetings they may see and take part in as VEVENTs, their action items
as VTODOs (RFC 5545), written with the icalendar library.

What is in it is decided by the same QuerySets as the pages: a meeting appears only if
`Meeting.objects.visible_to(person)` holds it, so a revoked membership drops it from the next read.
Participants are never written into the feed.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from icalendar import Calendar, Event, Todo

from hub.directory.models import Organization
from hub.meetings.models import ActionItem, Meeting, Participant

STATUS = {
    ActionItem.Status.NEEDS_ACTION: "NEEDS-ACTION",
    ActionItem.Status.IN_PROGRESS: "IN-PROCESS",
    ActionItem.Status.COMPLETED: "COMPLETED",
    ActionItem.Status.CANCELLED: "CANCELLED",
}


def meetings_of(user):
    """The meetings `user` organizes, takes part in, or whose organizers include one of their
    organizations, among those they may see."""
    takes_part = Participant.objects.filter(meeting=OuterRef("pk"), user=user)
    ours = Meeting.organizations.through.objects.filter(
        meeting_id=OuterRef("pk"),
        organization_id__in=Organization.objects.member_of(user).values("pk"),
    )
    return (
        Meeting.objects.visible_to(user)
        .filter(Q(author=user) | Exists(takes_part) | Exists(ours))
        .order_by("starts_at", "pk")
    )


def items_of(user):
    return (
        ActionItem.objects.visible_to(user)
        .filter(owner=user)
        .select_related("meeting")
        .order_by("due_on", "pk")
    )


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _uid(kind: str, pk: int) -> str:
    host = urlsplit(_site()).hostname or "partnership-hub"
    return f"{kind}-{pk}@{host}"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def calendar_for(user) -> bytes:
    """The feed of `user` as iCalendar bytes."""
    cal = Calendar()
    cal.add("prodid", "-//Partnership Hub//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Partnership Hub")
    now = timezone.now()
    for meeting in meetings_of(user):
        event = Event()
        event.add("uid", _uid("meeting", meeting.pk))
        event.add("dtstamp", _utc(meeting.updated_at or now))
        event.add("dtstart", _utc(meeting.starts_at))
        event.add("dtend", _utc(meeting.ends_at))
        event.add("summary", meeting.title)
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", meeting.online_link or _site() + meeting.get_absolute_url())
        description = "\n\n".join(
            part for part in (meeting.agenda, _site() + meeting.get_absolute_url()) if part
        )
        event.add("description", description)
        cal.add_component(event)
    for item in items_of(user):
        todo = Todo()
        todo.add("uid", _uid("action-item", item.pk))
        todo.add("dtstamp", _utc(item.updated_at or now))
        todo.add("summary", item.what)
        if item.due_on is not None:
            todo.add("due", item.due_on)
        todo.add("status", STATUS[ActionItem.Status(item.status)])
        if item.completed_at is not None:
            todo.add("completed", _utc(item.completed_at))
        todo.add("url", _site() + item.get_absolute_url())
        todo.add("description", item.meeting.title)
        cal.add_component(todo)
    return cal.to_ical()
