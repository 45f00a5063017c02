"""What a meeting's history shows to whom (registered with hub.core.history)."""

from hub.core import history
from hub.meetings.models import Meeting
from hub.partnerships.models import Partnership


@history.reader_rule
def meeting_private_participants(user, obj, entries) -> None:
    """A private participant is named only to those who may edit the meeting, a contact person
    only to staff: everyone else's history leaves the entry out."""
    meeting_entries = [e for e in entries if e.content_type.model == "meeting"]
    if not (user.is_authenticated and user.is_staff):
        for entry in meeting_entries:
            entry.withhold("contact_participant")
    if not any("private_participant" in e.changes for e in meeting_entries):
        return
    ids = {e.object_id for e in meeting_entries}
    editable = set(
        Meeting.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for entry in meeting_entries:
        if entry.object_id not in editable:
            entry.withhold("private_participant")


@history.reader_rule
def meeting_partnerships_seen(user, obj, entries) -> None:
    """A meeting's history keeps the titles of the partnerships it linked; a reader sees only
    those of partnerships they may see."""
    if user.is_authenticated and user.is_staff:
        return
    linked = [
        e for e in entries if e.content_type.model == "meeting" and "partnerships" in e.changes
    ]
    titles = {
        title
        for e in linked
        for side in e.changes["partnerships"]
        if isinstance(side, list)
        for title in side
        if isinstance(title, str)
    }
    if not titles:
        return
    seen = set(
        Partnership.objects.visible_to(user)
        .filter(title__in=titles)
        .values_list("title", flat=True)
    )
    for entry in linked:
        before, after = entry.changes["partnerships"]
        entry.show(
            "partnerships",
            [t for t in before or [] if t in seen],
            [t for t in after or [] if t in seen],
        )
