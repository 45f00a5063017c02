"""What history pages show of imports (registered with hub.core.history in AppConfig.ready)."""

from hub.core import history
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.contributions.models import InKindContribution

IMPORT_DETAILS = ("imported_contributions", "source")


@history.reader_rule
def imports_to_members(user, obj, entries) -> None:
    """An import's entry (on the organization: the file's name and how many rows, confidential
    ones counted) is read by the organization's members and staff. Others see it only on the page
    of a contribution it created that they may see, and then only who imported it and when."""
    if user.is_authenticated and user.is_staff:
        return
    mine = set(Organization.objects.member_of(user).values_list("pk", flat=True))
    for entry in entries:
        if entry.action != HistoryEntry.Action.IMPORT or entry.object_id in mine:
            continue
        if isinstance(obj, InKindContribution) and obj.import_entry_id == entry.pk:
            entry.withhold(*IMPORT_DETAILS)
        else:
            entry.hidden = True
