"""The November 2016 Partnerships Workshop as a demo meeting (../shared/seed/), with its decisions
and its real next steps.

Written from the workshop's notes only. Each next step is assigned to the affiliate that took it
(the demo accounts are not the people who took them), with the date the notes give and none where
they give none. The notes do not give the workshop's days, only "November 2016" and "two days":
the meeting is recorded on 1 and 2 November 2016, and its notes say those days are not confirmed. The
statuses of the next steps are not in the notes either: they stay "needs action". Participants
are those the notes name with their affiliate (the reference's domain.md §5 for WMDE's staff).
Everything is marked as demo data; reminders are off (the dates are long past).
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.db import transaction

from hub.accounts.system import system_actor
from hub.directory.models import Organization
from hub.meetings import services
from hub.meetings.models import Meeting

TITLE = "Partnerships Workshop, November 2016"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

AGENDA = """Day 1
- Introduction, icebreaker, hopes and expectations
- Past developments and cool projects
- Lightning talks
- Collective impact, and the case study of WMDE's partnership with Serlo
- Types of partnerships (the mapping exercise): goals and structure
- Ways to work together

Day 2
- Visioning exercise: partnerships in three years
- Work packages and next steps
- Review: next steps and wrap-up"""

NOTES = """Facilitated by Julia Kirchner from WMDE's Partnerships & Development (ZEN) team, in Berlin.

The workshop's goals: continue the work of the partnerships peer group, prepare the partnerships track of the Wikimedia Conference 2017, discuss how to develop capacities on partnerships in the movement, and how partnerships can play a more important role in the Movement Strategy process.

Six visions came out of the visioning exercise: established structures for collaborations in thematic / regional alliances; a backbone structure to support our partnership work; working as a network to share resources and knowledge; a clear understanding of our contribution and possible roles in collective impact partnerships; a more diverse movement with more diverse partners; a sustainable work environment for all.

The notes give "November 2016" and "two days", not the days themselves: the dates shown here (1 and 2 November 2016) are not confirmed.

Source: the documentation of the Partnerships Workshop, November 2016 (Meta-Wiki). Demo data."""

DECISIONS = [
    "The group stays open and inclusive; it does not want a mailing list, but keeps using the "
    "Partnerships portal on Meta, as long as the content is kept tight.",
    "The group intends to meet at least three times a year (Wikimedia Conference, Wikimania and "
    "a third meeting), and to actively promote, preach and live “Collective Impact”.",
    "Create a “vision document”: a one-pager explaining the necessity of having a backbone "
    "structure to support partnership work in the Wikimedia movement.",
]

# (name, affiliate short code) as the notes name them; "wmf" is the Foundation; None: not an affiliate.
PARTICIPANTS = [
    ("Julia Kirchner", "WMDE"),
    ("Nikki Zeuner", "WMDE"),
    ("Cornelius Kibelka", "WMDE"),
    ("Nicole Ebber", None),
    ("Marta", "WMPL"),
    ("Daria", "WMUK"),
    ("Kaarel", "WMEE"),
    ("Giselle", "WMAR"),
    ("Claudia", "WMAT"),
    ("Arne", "WMNL"),
    ("John", "WMSE"),
    ("Seddon", "wmf"),
    ("Maik (Serlo)", None),
]

# (what, affiliate that took it, due date or None, index of the decision it came from or None)
NEXT_STEPS: list[tuple[str, str, datetime.date | None, int | None]] = [
    (
        "Write the first draft of the vision document on a backbone structure (Kaarel), by mid "
        "January 2017, before the Executive Directors' meeting in Lausanne on 18–19 January",
        "WMEE",
        datetime.date(2017, 1, 15),
        2,
    ),
    (
        "Ask around for more tools and templates for each of the “8 steps of a partnership”, "
        "e.g. more letters of intent (Cornelius)",
        "WMDE",
        None,
        None,
    ),
    (
        "Write down the dimensions for a partnership, from the mapping exercise (Julia)",
        "WMDE",
        None,
        None,
    ),
    (
        "Write a short complementary document on the theoretical background of partnership "
        "dimensions (Kaarel and Julia), by the end of January 2017",
        "WMEE",
        datetime.date(2017, 1, 31),
        None,
    ),
    (
        "Take over the pre-conference “meta editathon” for the Wikimedia Conference, and contact "
        "Jaime Anstee about the Wikimedia resource center to streamline the efforts (Giselle)",
        "WMAR",
        None,
        None,
    ),
    ("Write a blog post about the workshop (Giselle)", "WMAR", None, None),
    ("Upload the workshop's photos to Wikimedia Commons (Marta)", "WMPL", None, None),
]


def _organization(code: str | None) -> Organization | None:
    if code is None:
        return None
    if code == "wmf":
        return Organization.objects.filter(kind=Organization.Kind.WMF).order_by("pk").first()
    return Organization.objects.filter(short_code=code).first()


@transaction.atomic
def load_demo(out=print) -> int:
    """Load the workshop as a meeting (after the partnerships' demo data, whose affiliates it
    names). Idempotent: a demo meeting with its title is left as it is. Returns 1 if it was added."""
    if Meeting.objects.filter(title=TITLE, is_demo=True).exists():
        return 0
    organizer = _organization("WMDE")
    if organizer is None:
        out("  skipped the 2016 workshop: WMDE is not loaded")
        return 0
    actor = system_actor()
    fields: dict[str, Any] = {
        "time_zone": "Europe/Berlin",
        "place": "Berlin",
        "agenda": AGENDA,
        "notes": NOTES,
        "visibility": "public",
        "is_demo": True,
    }
    meeting = services.meeting_create(
        actor=actor,
        title=TITLE,
        starts_at=datetime.datetime(2016, 11, 1, 9, 0, tzinfo=BERLIN),
        ends_at=datetime.datetime(2016, 11, 2, 17, 0, tzinfo=BERLIN),
        organizations=[organizer],
        **fields,
    )
    for name, code in PARTICIPANTS:
        services.participant_add(
            actor=actor, meeting=meeting, name=name, organization=_organization(code)
        )
    decisions = [
        services.decision_add(actor=actor, meeting=meeting, statement=text) for text in DECISIONS
    ]
    for what, code, due, decision in NEXT_STEPS:
        owner = _organization(code)
        if owner is None:
            out(f"  skipped the next step “{what[:40]}…”: {code} is not loaded")
            continue
        services.action_item_create(
            actor=actor,
            meeting=meeting,
            what=what,
            owner_organization=owner,
            due_on=due,
            decision=decisions[decision] if decision is not None else None,
            remind_days_before=0,
        )
    return 1
