"""Every write to an organization's lifecycles and their steps. Pages and the API call these.

Each is keyword-only, atomic, checks that the actor manages the lifecycle's organization, and
records the lifecycle's steps before and after on the organization's history. Nothing here deletes
a step: a partnership's visits keep pointing at it (renamed, moved or retired), so adapting a
lifecycle never breaks a partnership already on it. A partnership's own progress is written by
hub/lifecycle/steps/progress.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.lifecycle.steps.models import Lifecycle, Step, StepLink
from hub.lifecycle.steps.presets import PRESETS


def _check_manager(actor, organization: Organization) -> None:
    if not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("Only the organization's managers may adapt its lifecycles."))


def lifecycle_snapshot(lifecycle: Lifecycle) -> history.Snapshot:
    """What the organization's history records of a lifecycle: its steps in order, as text."""
    steps = []
    for step in lifecycle.steps.prefetch_related("links"):
        text = f"{step.position}. {step.label}"
        if step.milestone:
            text += f" [{step.get_milestone_display()}]"
        if step.is_retired:
            text += " " + _("(retired)")
        if step.actions:
            text += " · " + _("actions: %(text)s") % {"text": step.actions}
        if step.obstacles:
            text += " · " + _("obstacles: %(text)s") % {"text": step.obstacles}
        text += "".join(f" · {link.label} <{link.url}>" for link in step.links.all())
        steps.append(text)
    return {
        "lifecycle": str(lifecycle.label),
        "lifecycle_default": lifecycle.is_default,
        "lifecycle_steps": steps,
    }


def _record(actor, lifecycle: Lifecycle, before: history.Snapshot | None, action: str) -> None:
    after = lifecycle_snapshot(lifecycle)
    changes = history.diff(before or {}, after)
    if not changes:
        return
    if before is not None:
        # The name says which lifecycle changed, even when it did not change itself.
        changes.setdefault("lifecycle", [after["lifecycle"], after["lifecycle"]])
    history.record_changes(
        actor=actor,
        model=Organization,
        object_id=lifecycle.organization_id,
        object_repr=str(lifecycle.organization),
        action=action,
        changes=changes,
    )


def _lock(actor, lifecycle: Lifecycle) -> Lifecycle:
    _check_manager(actor, lifecycle.organization)
    return Lifecycle.objects.select_for_update().select_related("organization").get(pk=lifecycle.pk)


def adopt(organization: Organization, preset_key: str, *, default: bool) -> Lifecycle:
    """The preset's copy for `organization`, without permission check or history: for
    `lifecycle_adopt` and for a partnership's first step on a lead that has no lifecycle yet."""
    preset = PRESETS.get(preset_key)
    if preset is None:
        raise ValidationError({"preset": _("Choose one of the hub's lifecycles.")})
    if Lifecycle.objects.filter(organization=organization, preset=preset.key).exists():
        raise ValidationError(
            {"preset": _("This organization has adopted this lifecycle already.")}
        )
    if default:
        Lifecycle.objects.filter(organization=organization, is_default=True).update(
            is_default=False
        )
    lifecycle = Lifecycle.objects.create(
        organization=organization, preset=preset.key, is_default=default
    )
    for position, shipped in enumerate(preset.steps, start=1):
        step = Step.objects.create(
            lifecycle=lifecycle, key=shipped.key, position=position, milestone=shipped.milestone
        )
        StepLink.objects.bulk_create(
            StepLink(step=step, label=str(tool.label)[:120], url=tool.url, position=index)
            for index, tool in enumerate(shipped.tools)
        )
    return lifecycle


@transaction.atomic
def lifecycle_adopt(
    *, actor, organization: Organization, preset: str, default: bool = False
) -> Lifecycle:
    """Copy one of the hub's presets into an organization's own lifecycle, to adapt. The first
    lifecycle an organization adopts is its default whatever `default` says."""
    _check_manager(actor, organization)
    first = not Lifecycle.objects.filter(organization=organization).exists()
    lifecycle = adopt(organization, preset, default=default or first)
    _record(actor, lifecycle, None, HistoryEntry.Action.CREATE)
    return lifecycle


@transaction.atomic
def lifecycle_set_default(*, actor, lifecycle: Lifecycle) -> Lifecycle:
    """Make this the lifecycle new partnerships of its organization start on."""
    locked = _lock(actor, lifecycle)
    before = lifecycle_snapshot(locked)
    Lifecycle.objects.filter(organization=locked.organization_id, is_default=True).exclude(
        pk=locked.pk
    ).update(is_default=False)
    locked.is_default = True
    locked.save(update_fields=["is_default", "updated_at"])
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return locked


def _check_step(step: Step) -> None:
    step.name = step.name.strip()
    step.full_clean()


@transaction.atomic
def step_create(
    *,
    actor,
    lifecycle: Lifecycle,
    name: str,
    actions: str = "",
    obstacles: str = "",
    milestone: str = "",
) -> Step:
    """Add a step of the organization's own at the end of the lifecycle."""
    locked = _lock(actor, lifecycle)
    before = lifecycle_snapshot(locked)
    last = locked.steps.aggregate(last=Max("position"))["last"] or 0
    step = Step(
        lifecycle=locked,
        name=name,
        actions=actions.strip(),
        obstacles=obstacles.strip(),
        milestone=milestone,
        position=last + 1,
    )
    _check_step(step)
    step.save()
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return step


def _same_as_preset(value: str, shipped: object) -> bool:
    return shipped is not None and value == str(shipped).strip()


@transaction.atomic
def step_rename(
    *,
    actor,
    step: Step,
    name: str | None = None,
    actions: str | None = None,
    obstacles: str | None = None,
    milestone: str | None = None,
) -> Step:
    """Change a step's name, actions, obstacles or milestone; those left out keep their values.
    A text equal to the preset's (in the actor's language) is stored blank: it then follows the
    preset in every reader's language."""
    locked = _lock(actor, step.lifecycle)
    before = lifecycle_snapshot(locked)
    step = Step.objects.select_related("lifecycle").get(pk=step.pk)
    shipped = step.preset_step
    if name is not None:
        name = name.strip()
        step.name = "" if _same_as_preset(name, shipped and shipped.name) else name
    for field, value in (("actions", actions), ("obstacles", obstacles)):
        if value is not None:
            value = value.strip().replace("\r\n", "\n")
            same = _same_as_preset(value, shipped and getattr(shipped, field))
            setattr(step, field, "" if same else value)
    if milestone is not None:
        step.milestone = milestone
    _check_step(step)
    step.save()
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return step


@transaction.atomic
def step_move(*, actor, step: Step, up: bool) -> Step:
    """Move a step one place up or down among its lifecycle's steps (retired ones included:
    they keep their place for the partnerships that visited them)."""
    locked = _lock(actor, step.lifecycle)
    before = lifecycle_snapshot(locked)
    steps = list(locked.steps.all())
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    for position, each in enumerate(steps, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return next(s for s in steps if s.pk == step.pk)


@transaction.atomic
def step_retire(*, actor, step: Step) -> Step:
    """Take a step out of use: no partnership moves into it any more; one there now stays until
    it moves on, and the visits keep it in every partnership's history."""
    locked = _lock(actor, step.lifecycle)
    before = lifecycle_snapshot(locked)
    step = Step.objects.get(pk=step.pk)
    if step.is_retired:
        return step
    if not locked.steps.filter(retired_at__isnull=True).exclude(pk=step.pk).exists():
        raise ValidationError(_("A lifecycle keeps at least one step in use."))
    step.retired_at = timezone.now()
    step.save(update_fields=["retired_at"])
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return step


@transaction.atomic
def step_restore(*, actor, step: Step) -> Step:
    """Put a retired step back in use (refused while another step holds its milestone)."""
    locked = _lock(actor, step.lifecycle)
    before = lifecycle_snapshot(locked)
    step = Step.objects.select_related("lifecycle").get(pk=step.pk)
    if not step.is_retired:
        return step
    step.retired_at = None
    if (
        step.milestone
        and locked.steps.filter(milestone=step.milestone, retired_at__isnull=True).exists()
    ):
        raise ValidationError(
            {"milestone": _("Another step in use has this milestone; change or retire it first.")}
        )
    step.save(update_fields=["retired_at"])
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return step


@transaction.atomic
def step_link_add(*, actor, step: Step, label: str, url: str) -> StepLink:
    """Add a tool to a step: a resource or template, on the hub or elsewhere."""
    locked = _lock(actor, step.lifecycle)
    before = lifecycle_snapshot(locked)
    last = step.links.aggregate(last=Max("position"))["last"]
    link = StepLink(
        step=step, label=label.strip(), url=url.strip(), position=0 if last is None else last + 1
    )
    link.full_clean(exclude=["step"])
    link.save()
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
    return link


@transaction.atomic
def step_link_remove(*, actor, link: StepLink) -> None:
    """Remove a tool from a step (the organization's history keeps it)."""
    locked = _lock(actor, link.step.lifecycle)
    before = lifecycle_snapshot(locked)
    link.delete()
    _record(actor, locked, before, HistoryEntry.Action.CHANGE)
