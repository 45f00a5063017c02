"""Where a partnership stands: an organization's lifecycle (its copy of a preset), the steps in it,
and each partnership's progress through them.

Who sees what: a partnership's progress (its steps, dates, next action and moving-on record) is
seen by whoever sees the partnership and changed by whoever edits it. An organization's lifecycle is
readable by everyone (it is a method, not a record of anyone's work); its managers adapt it.

Adapting never breaks a partnership already on the lifecycle: steps are renamed, reordered or
retired, never deleted once a partnership has visited them (`StepVisit.step` protects them).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from hub.core.weburl import WebURLField
from hub.directory.models import Organization
from hub.lifecycle.steps.presets import AGREEMENT, ENDING, PRESET_CHOICES, PRESETS
from hub.partnerships.models import Partnership


class Lifecycle(models.Model):
    """An organization's sequence of steps, made from a preset and adaptable by its managers."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="lifecycles",
        verbose_name=_("organization"),
    )
    preset = models.CharField(_("made from"), max_length=40, choices=PRESET_CHOICES)
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Blank: the preset's name.")
    )
    is_default = models.BooleanField(
        _("default for new partnerships"),
        default=False,
        help_text=_("The lifecycle a partnership this organization leads starts on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "-is_default", "preset"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "preset"], name="lifecycle_one_copy_of_a_preset"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_default=True),
                name="lifecycle_one_default",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        """The name a person reads: the organization's own, or the preset's in their language."""
        if self.name:
            return self.name
        preset = PRESETS.get(self.preset)
        return preset.name if preset else self.preset


class Step(models.Model):
    """One step of a lifecycle: its actions, typical obstacles and tools (links)."""

    class Milestone(models.TextChoices):
        AGREEMENT = AGREEMENT, _("Formal agreement: past it, a signed agreement is expected")
        ENDING = ENDING, _("Moving on: the partnership's ending")

    lifecycle = models.ForeignKey(Lifecycle, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(
        max_length=40, blank=True, help_text=_("The preset step it comes from (blank: added).")
    )
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Blank: the preset's name.")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    milestone = models.CharField(
        _("milestone"), max_length=12, choices=Milestone.choices, blank=True
    )
    actions = models.TextField(_("concrete actions"), blank=True)
    obstacles = models.TextField(_("potential obstacles"), blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["lifecycle", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lifecycle", "key"], condition=~Q(key=""), name="step_key_once"
            ),
            models.UniqueConstraint(
                fields=["lifecycle", "milestone"],
                condition=~Q(milestone="") & Q(retired_at__isnull=True),
                name="step_one_milestone_of_a_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def preset_step(self):
        preset = PRESETS.get(self.lifecycle.preset) if self.key else None
        return preset.step(self.key) if preset else None

    @property
    def label(self):
        if self.name:
            return self.name
        shipped = self.preset_step
        return shipped.name if shipped else self.key

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def clean(self) -> None:
        if not self.name.strip() and self.preset_step is None:
            raise ValidationError({"name": _("Give the step a name.")})


class StepLink(models.Model):
    """A tool for a step: a resource or template, on the hub or elsewhere."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=120)
    url = WebURLField(_("address"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class PartnershipProgress(models.Model):
    """A partnership's place in its lifecycle, and the next action someone owns."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="progress"
    )
    lifecycle = models.ForeignKey(
        Lifecycle, on_delete=models.PROTECT, related_name="progresses", verbose_name=_("lifecycle")
    )
    next_action = models.CharField(_("next action"), max_length=300, blank=True)
    next_action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner of the next action"),
    )
    next_action_due = models.DateField(_("due"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("partnership progress")
        indexes = [models.Index(fields=["next_action_due"], name="progress_due")]

    def __str__(self) -> str:
        return str(self.partnership)

    def clean(self) -> None:
        errors = {}
        if (self.next_action_owner_id or self.next_action_due) and not self.next_action.strip():
            errors["next_action"] = _("Say what the next action is.")
        if errors:
            raise ValidationError(errors)


class StepVisit(models.Model):
    """A partnership's time in one step: when it entered and when it left (open: it is there now)."""

    progress = models.ForeignKey(
        PartnershipProgress, on_delete=models.CASCADE, related_name="visits"
    )
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="visits")
    entered_on = models.DateField(_("entered"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["progress", "entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress"], condition=Q(left_on__isnull=True), name="visit_one_current"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                name="visit_left_not_before_entered",
                violation_error_message=_("A step cannot be left before it was entered."),
            ),
        ]
        indexes = [models.Index(fields=["step", "left_on"], name="visit_step_current")]

    def __str__(self) -> str:
        return f"{self.step} ({self.entered_on})"

    def clean(self) -> None:
        if self.left_on and self.entered_on and self.left_on < self.entered_on:
            raise ValidationError({"left_on": _("A step cannot be left before it was entered.")})


class MovingOn(models.Model):
    """The partnership's ending as a step of its own: what goes public, the celebration, the hand-over
    and how the outcomes last (the partnering cycle's "sustaining outcomes")."""

    progress = models.OneToOneField(
        PartnershipProgress, on_delete=models.CASCADE, related_name="moving_on"
    )
    what_goes_public = models.TextField(
        _("what goes public"), blank=True, help_text=_("What the partners agree to publish.")
    )
    celebration = models.TextField(
        _("celebration"), blank=True, help_text=_("How the partners mark what they achieved.")
    )
    handover = models.TextField(
        _("hand-over"), blank=True, help_text=_("Who takes over what, and the new champions.")
    )
    lasting_outcomes = models.TextField(
        _("making outcomes last"), blank=True, help_text=_("What keeps going after the end.")
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("moving on")
        verbose_name_plural = _("moving on")

    def __str__(self) -> str:
        return str(self.progress)


def past_agreement_step_q() -> Q:
    """On partnerships: the current step (the open visit's) comes after the lifecycle's formal
    agreement step (its non-retired AGREEMENT milestone). A partnership with no progress, or on a
    lifecycle without that milestone, never matches. (Written by the agreements helper as the
    minimal version; the steps helper's own is the one kept.)"""
    agreement_position = Step.objects.filter(
        lifecycle=OuterRef("step__lifecycle"),
        milestone=Step.Milestone.AGREEMENT,
        retired_at__isnull=True,
    ).values("position")[:1]
    current = (
        StepVisit.objects.filter(progress__partnership=OuterRef("pk"), left_on__isnull=True)
        .annotate(agreement_position=Subquery(agreement_position))
        .filter(step__position__gt=F("agreement_position"))
    )
    return Q(Exists(current))
