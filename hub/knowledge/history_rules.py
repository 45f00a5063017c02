"""What a lesson's history shows of its linked partnerships (registered with hub.core.history)."""

from hub.core import history
from hub.partnerships.models import Partnership


@history.reader_rule
def lesson_partnerships_seen(user, obj, entries) -> None:
    """A lesson's history keeps the titles of the partnerships it linked; a reader sees only the
    titles of partnerships they may see, so a public lesson's history never names a private
    partnership."""
    if user.is_authenticated and user.is_staff:
        return
    linked = [
        e for e in entries if "partnerships" in e.changes and e.content_type.model == "lesson"
    ]
    titles = {
        t
        for e in linked
        for side in e.changes["partnerships"]
        if isinstance(side, list)
        for t in side
        if isinstance(t, str)
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
