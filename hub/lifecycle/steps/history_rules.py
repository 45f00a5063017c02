"""What history pages show of a partnership's steps (registered with hub.core.history)."""

from hub.core import history


@history.reader_rule
def next_action_owner_to_the_signed_in(user, obj, entries) -> None:
    """The owner of a partnership's next action is a person: named to signed-in readers only,
    as on the partnership's page and in the API."""
    if user.is_authenticated:
        return
    for entry in entries:
        entry.withhold("next_action_owner")
