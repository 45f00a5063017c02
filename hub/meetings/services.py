"""Every write to meetings, their participants, decisions and action items. Pages, the API and the
demo loader call these and nothing else.

Each is keyword-only, atomic, checks permission and records history. Participants, decisions and
removals are recorded on the meeting's history; action items have their own history, which the
meeting's history page shows too. A private participant's name is recorded under its own key, which
the history shows only to those who may edit the meeting (hub/meetings/history_rules.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.meetings.models import ActionItem, Decision, Meeting, Participant, writes_for
from hub.partnerships.models import Partnership

MEETING_FIELDS = [
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_link",
    "agenda",
    "notes",
    "visibility",
]
MEETING_LISTS = ("organizations", "partnerships", "alliances")
ITEM_FIELDS = [
    "what",
    "owner",
    "owner_organization",
    "due_on",
    "status",
    "decision",
    "remind_days_before",
]
ITEM_LINKS = ("partnership", "alliance")


def _refusal() -> str:
    return _("You cannot edit this meeting.")


def _meeting_snapshot(meeting: Meeting) -> history.Snapshot:
    return history.snapshot(
        meeting,
        MEETING_FIELDS,
        organizations=sorted(o.name for o in meeting.organizations.all()),
        partnerships=sorted(p.title for p in meeting.partnerships.all()),
        alliances=sorted(a.name for a in meeting.alliances.all()),
    )


def _item_snapshot(item: ActionItem) -> history.Snapshot:
    # The partnership or alliance an item serves is left out: its title may be private.
    return history.snapshot(item, ITEM_FIELDS)


def _check_may_edit(actor, meeting: Meeting) -> None:
    if not Meeting.objects.editable_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_refusal())


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(fields) - set(MEETING_FIELDS) - set(MEETING_LISTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    own = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    lists = {k: list(v) for k, v in fields.items() if k in MEETING_LISTS}
    return own, lists


def _check_lists(actor, meeting: Meeting | None, lists: dict[str, list]) -> None:
    if "organizations" in lists:
        organizations: Sequence[Organization] = lists["organizations"]
        if not organizations:
            raise ValidationError({"organizations": _("Choose at least one organization.")})
        if any(not org.is_movement for org in organizations):
            raise ValidationError(
                {"organizations": _("Meetings are organized by movement organizations.")}
            )
        if not writes_for(actor).filter(pk__in=[o.pk for o in organizations]).exists():
            raise PermissionDenied(
                _("Choose a movement organization you are a member of among the organizers.")
            )
    if "partnerships" in lists:
        current = set(meeting.partnerships.values_list("pk", flat=True)) if meeting else set()
        new = {p.pk for p in lists["partnerships"]} - current
        # A link kept from before (perhaps to a partnership this editor may not see) stays.
        if new and Partnership.objects.visible_to(actor).filter(pk__in=new).count() != len(new):
            raise ValidationError({"partnerships": _("Choose partnerships you can see.")})
    if "alliances" in lists and any(not a.is_alliance for a in lists["alliances"]):
        raise ValidationError({"alliances": _("Choose alliances or hubs.")})


def _set_lists(meeting: Meeting, lists: dict[str, list]) -> None:
    for name, values in lists.items():
        getattr(meeting, name).set(values)


@transaction.atomic
def meeting_create(
    *, actor, title: str, starts_at, ends_at, organizations: Iterable[Organization], **fields: Any
) -> Meeting:
    """Record a meeting organized by at least one movement organization the actor is a member of.
    `fields` are the other fields of Meeting (time_zone, place, online_link, agenda, notes,
    visibility) and its lists partnerships and alliances. `is_demo` marks demo data."""
    is_demo = bool(fields.pop("is_demo", False))
    own, lists = _split({**fields, "organizations": organizations})
    _check_lists(actor, None, lists)
    meeting = Meeting(
        title=" ".join(title.split()),
        starts_at=starts_at,
        ends_at=ends_at,
        author=actor if actor.is_authenticated and actor.is_active else None,
        is_demo=is_demo,
        **own,
    )
    meeting.full_clean(exclude=["author"])
    meeting.save()
    _set_lists(meeting, lists)
    history.record(
        actor=actor,
        instance=meeting,
        action=HistoryEntry.Action.CREATE,
        after=_meeting_snapshot(meeting),
    )
    search.index(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, expected_version: int | None = None, **fields: Any
) -> Meeting:
    """Change a meeting; fields and lists left out keep their values."""
    own, lists = _split(fields)
    locked = lock_for_edit(
        Meeting.objects.editable_by(actor), meeting.pk, expected_version, refusal=_refusal()
    )
    before = _meeting_snapshot(locked)
    _check_lists(actor, locked, lists)
    for name, value in own.items():
        setattr(locked, name, value)
    if "title" in own:
        locked.title = " ".join(locked.title.split())
    locked.full_clean(exclude=["author"])
    _set_lists(locked, lists)
    save_change(actor, locked, before, _meeting_snapshot(locked))
    search.index(locked)
    return locked


def _record_on_meeting(actor, meeting: Meeting, key: str, before: Any, after: Any) -> None:
    history.record_changes(
        actor=actor,
        model=Meeting,
        object_id=meeting.pk,
        object_repr=str(meeting),
        action=HistoryEntry.Action.CHANGE,
        changes={key: [before, after]},
    )


def _participant_key(participant: Participant) -> str:
    # A contact person's name is as private as the contact: its history shows it to staff only
    # (an entry keeps the name, not who keeps the contact).
    if participant.person_id is not None:
        return "contact_participant"
    return "private_participant" if participant.private else "participant"


@transaction.atomic
def participant_add(
    *,
    actor,
    meeting: Meeting,
    user=None,
    person=None,
    name: str = "",
    organization: Organization | None = None,
    private: bool = False,
) -> Participant:
    """Add someone who took part: a member (user), a contact person the actor may see, or a
    name; `private` names them only to the meeting's editors."""
    from hub.directory.models import Person

    _check_may_edit(actor, meeting)
    if person is not None and not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Choose a contact person you can see.")})
    participant = Participant(
        meeting=meeting,
        user=user,
        person=person,
        name=" ".join(name.split()),
        organization=organization,
        private=private,
    )
    participant.full_clean(exclude=["meeting", "user", "person", "organization"])
    duplicate = (user is not None and meeting.participants.filter(user=user).exists()) or (
        person is not None and meeting.participants.filter(person=person).exists()
    )
    if duplicate:
        raise ValidationError({"name": _("This participant is listed already.")})
    participant.save()
    _record_on_meeting(actor, meeting, _participant_key(participant), None, str(participant))
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    """Take someone off the meeting's participants."""
    meeting = participant.meeting
    _check_may_edit(actor, meeting)
    _record_on_meeting(actor, meeting, _participant_key(participant), str(participant), None)
    participant.delete()


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, statement: str, review_on=None) -> Decision:
    """Record a decision of the meeting, optionally with the date to review it."""
    _check_may_edit(actor, meeting)
    decision = Decision(meeting=meeting, statement=statement.strip(), review_on=review_on)
    decision.full_clean(exclude=["meeting"])
    decision.save()
    _record_on_meeting(actor, meeting, "decision", None, decision.statement)
    search.index(meeting)
    return decision


@transaction.atomic
def decision_remove(*, actor, decision: Decision) -> None:
    """Remove a decision; action items that came from it keep their text and lose the link."""
    meeting = decision.meeting
    _check_may_edit(actor, meeting)
    _record_on_meeting(actor, meeting, "decision", decision.statement, None)
    decision.delete()
    search.index(meeting)


def _check_item(actor, item: ActionItem, links: dict[str, Any], *, new_links: bool) -> None:
    meeting = item.meeting
    owner = item.owner
    if owner is not None and (
        not owner.is_active or not Meeting.objects.visible_to(owner).filter(pk=meeting.pk).exists()
    ):
        raise ValidationError({"owner": _("Choose someone who can see this meeting.")})
    partnership = links.get("partnership")
    if (
        new_links
        and partnership is not None
        and not Partnership.objects.visible_to(actor).filter(pk=partnership.pk).exists()
    ):
        raise ValidationError({"partnership": _("Choose a partnership you can see.")})
    alliance = links.get("alliance")
    if alliance is not None and not alliance.is_alliance:
        raise ValidationError({"alliance": _("Choose an alliance or a hub.")})
    item.what = " ".join(item.what.split())
    item.full_clean(exclude=["meeting", "created_by"])


def _completion(item: ActionItem) -> None:
    if item.status == ActionItem.Status.COMPLETED:
        item.completed_at = item.completed_at or timezone.now()
    else:
        item.completed_at = None


@transaction.atomic
def action_item_create(*, actor, meeting: Meeting, what: str, **fields: Any) -> ActionItem:
    """Add a next step to a meeting. `fields`: owner (a user who sees the meeting),
    owner_organization (at least one of the two), due_on, status, decision (of this meeting),
    remind_days_before, partnership and alliance it serves."""
    _check_may_edit(actor, meeting)
    unknown = set(fields) - set(ITEM_FIELDS) - set(ITEM_LINKS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    item = ActionItem(
        meeting=meeting,
        what=what,
        created_by=actor if actor.is_authenticated else None,
        **fields,
    )
    _check_item(actor, item, fields, new_links=True)
    _completion(item)
    item.save()
    history.record(
        actor=actor, instance=item, action=HistoryEntry.Action.CREATE, after=_item_snapshot(item)
    )
    return item


@transaction.atomic
def action_item_update(
    *, actor, item: ActionItem, expected_version: int | None = None, **fields: Any
) -> ActionItem:
    """Change an action item (the meeting's editors). A new due date arms its reminder again."""
    unknown = set(fields) - set(ITEM_FIELDS) - set(ITEM_LINKS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    locked = lock_for_edit(
        ActionItem.objects.editable_by(actor), item.pk, expected_version, refusal=_refusal()
    )
    before = _item_snapshot(locked)
    old_partnership = locked.partnership_id
    for name, value in fields.items():
        setattr(locked, name, value)
    changed_link = "partnership" in fields and locked.partnership_id != old_partnership
    _check_item(actor, locked, fields, new_links=changed_link)
    _completion(locked)
    if not save_change(actor, locked, before, _item_snapshot(locked)):
        locked.save()  # a changed link is not in the history, but is kept
    return locked


@transaction.atomic
def action_item_set_status(*, actor, item: ActionItem, status: str) -> ActionItem:
    """The quick status change: by the meeting's editors or the item's owner."""
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    locked = lock_for_edit(
        ActionItem.objects.status_changeable_by(actor),
        item.pk,
        None,
        refusal=_("Only the owner and the meeting's editors change this action item."),
    )
    before = _item_snapshot(locked)
    locked.status = status
    _completion(locked)
    save_change(actor, locked, before, _item_snapshot(locked))
    return locked
