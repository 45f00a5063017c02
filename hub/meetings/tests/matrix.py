"""The meetings app's pages in the permission matrix: a private meeting of the affiliate recorded
by its editor, with a private participant, a decision and an action item owned by its viewer, and
the viewer's calendar address."""

from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting
from hub.meetings.models import CalendarFeed
from hub.meetings.models.feeds import hash_token

FEED_TOKEN = "matrix-feed-token-of-the-viewer"


def setup(world):
    meeting = make_meeting(
        actor=world.users["editor"], organization=world.affiliate, visibility="private"
    )
    world.objects["meetings_meeting"] = meeting
    world.objects["meetings_participant"] = services.participant_add(
        actor=world.users["editor"], meeting=meeting, name="Someone shy", private=True
    )
    decision = services.decision_add(
        actor=world.users["editor"], meeting=meeting, statement="Write a one-pager."
    )
    world.objects["meetings_decision"] = decision
    world.objects["meetings_item"] = make_item(
        meeting=meeting, actor=world.users["editor"], owner=world.users["viewer"], decision=decision
    )
    CalendarFeed.objects.create(user=world.users["viewer"], token_hash=hash_token(FEED_TOKEN))


def _meeting(name):
    return lambda w: reverse(name, args=[w.meetings_meeting.pk])


def _of(name, record):
    return lambda w: reverse(name, args=[getattr(w, record).pk])


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
EDIT_PRIVATE = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}
MEMBERS = {"anonymous": SIGN_IN}

CASES = {
    "meetings:list": Case(lambda w: reverse("meetings:list"), everyone(200)),
    "meetings:create": Case(lambda w: reverse("meetings:create"), MEMBERS, default=200),
    "meetings:detail": Case(_meeting("meetings:detail"), SEE_PRIVATE, default=200),
    "meetings:edit": Case(_meeting("meetings:edit"), EDIT_PRIVATE, default=200),
    "meetings:history": Case(_meeting("meetings:history"), SEE_PRIVATE, default=200),
    "meetings:participant_add": Case(
        _meeting("meetings:participant_add"),
        EDIT_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"name": "Another participant"},
    ),
    "meetings:participant_remove": Case(
        _of("meetings:participant_remove", "meetings_participant"),
        EDIT_PRIVATE,
        default=302,
        method="post",
    ),
    "meetings:decision_add": Case(_meeting("meetings:decision_add"), EDIT_PRIVATE, default=200),
    "meetings:decision_remove": Case(
        _of("meetings:decision_remove", "meetings_decision"),
        EDIT_PRIVATE,
        default=302,
        method="post",
    ),
    "meetings:action_item_add": Case(
        _meeting("meetings:action_item_add"), EDIT_PRIVATE, default=200
    ),
    "meetings:action_item_edit": Case(
        _of("meetings:action_item_edit", "meetings_item"), EDIT_PRIVATE, default=200
    ),
    # The owner (the viewer) changes the status too; the meeting's editors and staff as well.
    "meetings:action_item_status": Case(
        _of("meetings:action_item_status", "meetings_item"),
        {"anonymous": SIGN_IN, "outsider": 404},
        default=302,
        method="post",
        data=lambda w: {"status": "completed"},
    ),
    "meetings:next_steps": Case(lambda w: reverse("meetings:next_steps"), MEMBERS, default=200),
    "meetings:feed_settings": Case(
        lambda w: reverse("meetings:feed_settings"), MEMBERS, default=200
    ),
    # The address is the secret: whoever has it reads the viewer's calendar.
    "meetings:feed": Case(lambda w: reverse("meetings:feed", args=[FEED_TOKEN]), everyone(200)),
}

# The API's read-only meeting operations (the same private meeting).
CASES.update(
    {
        "api:meeting_list": Case(lambda w: reverse("api:meeting_list"), everyone(200)),
        "api:meeting_detail": Case(
            lambda w: reverse("api:meeting_detail", args=[w.meetings_meeting.pk]),
            SEE_PRIVATE,
            default=200,
        ),
        "api:action_item_list": Case(
            lambda w: reverse("api:action_item_list") + "?mine=assigned", everyone(200)
        ),
        # The owner (the viewer), the meeting's editors and staff.
        "api:action_item_status": Case(
            lambda w: reverse("api:action_item_status", args=[w.meetings_item.pk]),
            {"anonymous": 401, "outsider": 404},
            default=200,
            method="post",
            data=lambda w: {"status": "in_progress"},
            content_type="application/json",
        ),
    }
)
