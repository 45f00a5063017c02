"""Every write to a partnership's progress through its lifecycle: its first step, each move, the
next action and the moving-on record. Pages and the API call these and nothing else.

Each is keyword-only, atomic, checks that the actor edits the partnership, and records the change
on the partnership's own history (so it reads there beside the partnership's other changes).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.core import history
from hub.core.editing import lock_for_edit
from hub.core.models import HistoryEntry
from hub.lifecycle.steps.models import Lifecycle, MovingOn, PartnershipProgress, Step, StepVisit
from hub.lifecycle.steps.presets import DEFAULT_PRESET, ENDING
from hub.lifecycle.steps.services import adopt
from hub.partnerships import services as partnerships
from hub.partnerships.models import Participant, Partnership

MOVING_ON_FIELDS = ("what_goes_public", "celebration", "handover", "lasting_outcomes")


def person_name(user: Any) -> str:
    """How a next action's owner is named: their full name, else their user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def progress_snapshot(progress: PartnershipProgress) -> history.Snapshot:
    """What the partnership's history records of its progress."""
    current = progress.visits.select_related("step__lifecycle").filter(left_on__isnull=True).first()
    data: history.Snapshot = {
        "lifecycle": str(progress.lifecycle.label),
        "step": str(current.step.label) if current else "",
        "step_entered": current.entered_on.isoformat() if current else "",
        "next_action": progress.next_action,
        "next_action_owner": person_name(progress.next_action_owner),
        "next_action_due": progress.next_action_due.isoformat() if progress.next_action_due else "",
    }
    moving_on = MovingOn.objects.filter(progress=progress).first()
    for name in (*MOVING_ON_FIELDS, "completed_on"):
        value = getattr(moving_on, name, "") if moving_on else ""
        data[f"moving_on_{name}"] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def _record(actor, progress: PartnershipProgress, before: history.Snapshot | None) -> None:
    changes = history.diff(before or {}, progress_snapshot(progress))
    if changes:
        history.record_changes(
            actor=actor,
            model=Partnership,
            object_id=progress.partnership_id,
            object_repr=str(progress.partnership),
            action=HistoryEntry.Action.CHANGE,
            changes=changes,
        )


def _check_editor(actor, partnership: Partnership) -> None:
    if not Partnership.objects.editable_by(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied(_("You cannot edit this partnership."))


def _lock(
    actor, partnership: Partnership, expected_version: int | None = None
) -> PartnershipProgress:
    _check_editor(actor, partnership)
    progress = PartnershipProgress.objects.filter(partnership=partnership).first()
    if progress is None:
        raise ValidationError(_("This partnership does not follow a lifecycle yet."))
    editable = PartnershipProgress.objects.filter(
        partnership__in=Partnership.objects.editable_by(actor)
    )
    locked = lock_for_edit(
        editable, progress.pk, expected_version, refusal=_("You cannot edit this partnership.")
    )
    return PartnershipProgress.objects.select_related("partnership", "lifecycle").get(pk=locked.pk)


def default_lifecycle(partnership: Partnership) -> Lifecycle:
    """The lead's default lifecycle; failing that its copy of the default preset (made now if
    it has none), which becomes its default when it had no lifecycle at all."""
    lead = partnership.lead
    lifecycles = Lifecycle.objects.filter(organization=lead)
    found = (
        lifecycles.filter(is_default=True).first()
        or lifecycles.filter(preset=DEFAULT_PRESET).first()
    )
    if found is not None:
        return found
    return adopt(lead, DEFAULT_PRESET, default=not lifecycles.exists())


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def progress_start(
    *,
    actor,
    partnership: Partnership,
    lifecycle: Lifecycle | None = None,
    on: datetime.date | None = None,
) -> PartnershipProgress:
    """Put a partnership on a lifecycle (by default its lead's), in the lifecycle's first step in
    use. The lifecycle must be one of a participating organization's."""
    _check_editor(actor, partnership)
    if PartnershipProgress.objects.filter(partnership=partnership).exists():
        raise ValidationError(_("This partnership follows a lifecycle already."))
    if lifecycle is None:
        lifecycle = default_lifecycle(partnership)
    elif not Participant.objects.filter(
        partnership=partnership, organization=lifecycle.organization_id
    ).exists():
        raise ValidationError(
            {"lifecycle": _("Choose a lifecycle of an organization in this partnership.")}
        )
    first = lifecycle.steps.filter(retired_at__isnull=True).first()
    if first is None:
        raise ValidationError({"lifecycle": _("This lifecycle has no step in use.")})
    progress = PartnershipProgress.objects.create(partnership=partnership, lifecycle=lifecycle)
    StepVisit.objects.create(progress=progress, step=first, entered_on=on or _today(), actor=actor)
    _record(actor, progress, None)
    return progress


@transaction.atomic
def progress_move(
    *,
    actor,
    partnership: Partnership,
    step: Step,
    on: datetime.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> PartnershipProgress:
    """Move a partnership to another step of its lifecycle, forward or back: the current visit
    is left on `on` (default today) and the new one entered that day."""
    progress = _lock(actor, partnership, expected_version)
    on = on or _today()
    if step.lifecycle_id != progress.lifecycle_id:
        raise ValidationError({"step": _("Choose a step of this partnership's lifecycle.")})
    if step.is_retired:
        raise ValidationError({"step": _("This step is retired; choose one in use.")})
    current = progress.visits.filter(left_on__isnull=True).first()
    if current is not None and current.step_id == step.pk:
        raise ValidationError({"step": _("The partnership is in this step already.")})
    latest = progress.visits.order_by("-entered_on").values_list("entered_on", flat=True).first()
    if latest is not None and on < latest:
        message = _("The date cannot be before the current step was entered (%(date)s).")
        raise ValidationError({"on": message % {"date": latest.isoformat()}})
    before = progress_snapshot(progress)
    if current is not None:
        current.left_on = on
        current.save(update_fields=["left_on"])
    visit = StepVisit(progress=progress, step=step, entered_on=on, note=note.strip(), actor=actor)
    visit.full_clean(exclude=["progress", "step", "actor"])
    visit.save()
    progress.version += 1
    progress.save(update_fields=["version", "updated_at"])
    _record(actor, progress, before)
    return progress


@transaction.atomic
def next_action_set(
    *,
    actor,
    partnership: Partnership,
    action: str,
    owner: User | None = None,
    due: datetime.date | None = None,
    expected_version: int | None = None,
) -> PartnershipProgress:
    """Say what happens next, who owns it (a member of a participating organization) and by
    when. An empty action clears the owner and the date as well."""
    progress = _lock(actor, partnership, expected_version)
    before = progress_snapshot(progress)
    if owner is not None and not partnership_members(partnership).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("The owner must be a member of an organization in this partnership.")}
        )
    progress.next_action = action.strip()
    progress.next_action_owner = owner
    progress.next_action_due = due
    progress.full_clean(exclude=["partnership", "lifecycle", "next_action_owner"])
    progress.version += 1
    progress.save()
    _record(actor, progress, before)
    return progress


def partnership_members(partnership: Partnership):
    """The people who may own a partnership's next action: members of its participants."""
    return (
        User.objects.filter(
            memberships__organization__participations__partnership=partnership, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def moving_on_save(
    *,
    actor,
    partnership: Partnership,
    what_goes_public: str = "",
    celebration: str = "",
    handover: str = "",
    lasting_outcomes: str = "",
    completed_on: datetime.date | None = None,
    end_partnership: bool = False,
    expected_version: int | None = None,
) -> PartnershipProgress:
    """Record the partnership's ending: what goes public, the celebration, the hand-over and
    what keeps going. Only in (or after) its lifecycle's moving-on step. With `completed_on` and
    `end_partnership`, the partnership is also ended as completed on that day."""
    progress = _lock(actor, partnership, expected_version)
    existing = MovingOn.objects.filter(progress=progress).first()
    current = progress.visits.select_related("step__lifecycle").filter(left_on__isnull=True).first()
    if existing is None and (current is None or current.step.milestone != ENDING):
        raise ValidationError(_("Move the partnership to its moving-on step first."))
    if end_partnership and completed_on is None:
        raise ValidationError({"completed_on": _("Say when the moving on was completed.")})
    before = progress_snapshot(progress)
    moving_on = existing or MovingOn(progress=progress)
    values = {
        "what_goes_public": what_goes_public,
        "celebration": celebration,
        "handover": handover,
        "lasting_outcomes": lasting_outcomes,
    }
    for name, value in values.items():
        setattr(moving_on, name, value.strip())
    moving_on.completed_on = completed_on
    moving_on.full_clean(exclude=["progress"])
    moving_on.save()
    progress.version += 1
    progress.save(update_fields=["version", "updated_at"])
    _record(actor, progress, before)
    if end_partnership and progress.partnership.is_running:
        partnerships.partnership_end(
            actor=actor,
            partnership=progress.partnership,
            status=Partnership.Status.COMPLETED,
            end_date=completed_on,
        )
    return progress
