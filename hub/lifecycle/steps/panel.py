"""What the "Steps" panel shows of a partnership: read once here for the partnership page (through
the template tag) and the steps page (with its forms and their errors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hub.lifecycle.steps import extensions
from hub.lifecycle.steps import progress as steps_progress
from hub.lifecycle.steps.forms import MoveForm, NextActionForm
from hub.lifecycle.steps.models import Lifecycle, PartnershipProgress, Step, StepVisit
from hub.partnerships.models import Partnership


@dataclass
class StepRow:
    step: Step
    visits: list[StepVisit] = field(default_factory=list)
    current: bool = False


def _rows(progress: PartnershipProgress, visits: list[StepVisit], current: StepVisit | None):
    """The lifecycle's steps in order: those in use, and retired ones this partnership visited."""
    by_step: dict[int, list[StepVisit]] = {}
    for visit in visits:
        by_step.setdefault(visit.step_id, []).append(visit)
    steps = progress.lifecycle.steps.prefetch_related("links")
    return [
        StepRow(step, by_step.get(step.pk, []), current is not None and current.step_id == step.pk)
        for step in steps
        if not step.is_retired or step.pk in by_step
    ]


def start_choices(partnership: Partnership) -> list[Lifecycle]:
    """The lifecycles a partnership may start on: its participants' (the lead's first)."""
    return list(
        Lifecycle.objects.filter(organization__participations__partnership=partnership)
        .select_related("organization")
        .order_by("-is_default", "organization__name", "preset")
    )


def progress_context(
    user, partnership: Partnership, *, can_edit: bool, **forms: Any
) -> dict[str, Any]:
    """The panel's context; `forms` (move_form, next_form) replace the blank ones, with errors."""
    progress = (
        PartnershipProgress.objects.select_related("lifecycle", "next_action_owner")
        .filter(partnership=partnership)
        .first()
    )
    context: dict[str, Any] = {
        "partnership": partnership,
        "progress": progress,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        # A person's name is for the signed-in, as members' names are elsewhere in the hub.
        "show_owner": user.is_authenticated,
    }
    if progress is None:
        context["start_choices"] = start_choices(partnership) if can_edit else []
        return context
    visits = list(progress.visits.select_related("step__lifecycle"))
    current = next((v for v in visits if v.left_on is None), None)
    context.update(
        current=current,
        rows=_rows(progress, visits, current),
        overdue=bool(
            progress.next_action
            and progress.next_action_due
            and progress.next_action_due < context["today"]
        ),
        moving_on=getattr(progress, "moving_on", None),
    )
    if current is not None:
        context["current_links"] = list(current.step.links.all())
        context["current_items"] = extensions.items_for(user, [current.step])[current.step.pk]
    if can_edit:
        context["move_form"] = forms.get("move_form") or MoveForm(progress=progress)
        context["next_form"] = forms.get("next_form") or NextActionForm(
            members=steps_progress.partnership_members(partnership),
            initial={
                "action": progress.next_action,
                "owner": progress.next_action_owner_id,
                "due": progress.next_action_due,
            },
        )
    return context
