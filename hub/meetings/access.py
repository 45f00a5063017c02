"""Fetching a meeting, a participant, a decision or an action item with permission: the one way
pages and the API get one by its id (404 when unseen, PermissionDenied when seen but not
changeable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.meetings.models import ActionItem, Decision, Meeting, Participant


def get_meeting_for(user, pk: int, *, edit: bool = False) -> Meeting:
    meeting = Meeting.objects.visible_to(user).select_related("author").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if edit and not Meeting.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this meeting."))
    return meeting


def get_participant_for(user, pk: int) -> Participant:
    """A participant of a meeting `user` edits (only editors change participants)."""
    participant = Participant.objects.select_related("meeting").filter(pk=pk).first()
    if participant is None:
        raise Http404
    get_meeting_for(user, participant.meeting_id, edit=True)
    return participant


def get_decision_for(user, pk: int, *, edit: bool = False) -> Decision:
    decision = Decision.objects.select_related("meeting").filter(pk=pk).first()
    if decision is None:
        raise Http404
    get_meeting_for(user, decision.meeting_id, edit=edit)
    return decision


def get_action_item_for(user, pk: int, *, edit: bool = False, status: bool = False) -> ActionItem:
    """With `edit`, for the meeting's editors; with `status`, also for the item's owner."""
    item = (
        ActionItem.objects.visible_to(user)
        .select_related("meeting", "owner", "owner_organization")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    if edit and not ActionItem.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this meeting."))
    if status and not ActionItem.objects.status_changeable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(
            _("Only the owner and the meeting's editors change this action item.")
        )
    return item
