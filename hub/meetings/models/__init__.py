"""Meetings and next steps (C9): meetings with participants, decisions and action items, and the
calendar feed of each person.

Who sees what: a meeting is public (anyone), movement (signed-in people) or private (members of
its organizing organizations, its author, and staff), as partnerships are. Its participants,
decisions and action items are seen by whoever sees the meeting, except that a participant marked
`private` is named only to those who may edit the meeting; everyone else sees how many private
participants there are, never who. A linked partnership is shown only to those who may see it.

Who changes what: the author, editors and managers of an organizing organization, and staff edit a
meeting and everything in it; the owner of an action item may also change its status.
"""

from hub.meetings.models.feeds import CalendarFeed
from hub.meetings.models.meetings import (
    Decision,
    Meeting,
    MeetingQuerySet,
    Participant,
    participants_named_to,
    time_zone_choices,
    validate_time_zone,
    writes_for,
)
from hub.meetings.models.tasks import ActionItem, ActionItemQuerySet

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "CalendarFeed",
    "Decision",
    "Meeting",
    "MeetingQuerySet",
    "Participant",
    "participants_named_to",
    "time_zone_choices",
    "validate_time_zone",
    "writes_for",
]
