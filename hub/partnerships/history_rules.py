"""What history pages show of linked partnerships (registered with hub.core.history)."""

from hub.core import history
from hub.partnerships.models import Partnership


@history.reader_rule
def linked_partnerships_seen(user, obj, entries) -> None:
    """A record that links a partnership (a contribution, a grant) keeps its title in its history
    as text: the title is shown only to those who may see a partnership of that title, so a
    private partnership's title never reaches the readers of a public record's history."""
    if user.is_authenticated and user.is_staff:
        return
    linked = [
        e for e in entries if "partnership" in e.changes and e.content_type.model != "partnership"
    ]
    titles = {t for e in linked for t in e.changes["partnership"] if isinstance(t, str) and t}
    if not titles:
        return
    seen = set(
        Partnership.objects.visible_to(user)
        .filter(title__in=titles)
        .values_list("title", flat=True)
    )
    for entry in linked:
        before, after = entry.changes["partnership"]
        entry.show(
            "partnership", before if before in seen else None, after if after in seen else None
        )
