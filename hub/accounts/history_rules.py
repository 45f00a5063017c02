"""What history pages show of memberships (registered with hub.core.history in AppConfig.ready)."""

from hub.accounts.models import Membership
from hub.core import history


@history.reader_rule
def members_to_managers(user, obj, entries) -> None:
    """Who was invited (their e-mail address), who joined or left and with which role: only the
    organization's managers and staff read these entries, as on its members page."""
    if user.is_authenticated and user.is_staff:
        return
    managed = set(
        Membership.objects.held_by(user).managing().values_list("organization_id", flat=True)
    )
    for entry in entries:
        kind = entry.content_type
        on_organization = (kind.app_label, kind.model) == ("directory", "organization")
        if on_organization and "members" in entry.changes and entry.object_id not in managed:
            entry.withhold("members")
