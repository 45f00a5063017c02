"""Action items: the next steps of a meeting, each with an owner, a due date and a status."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.directory.models import ChoiceLabels, Organization
from hub.meetings.models.meetings import Decision, Meeting
from hub.partnerships.models import Partnership

DUE_SOON_DAYS = 7


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def visible_to(self, user) -> ActionItemQuerySet:
        """Whoever sees the meeting sees its action items."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))

    def editable_by(self, user) -> ActionItemQuerySet:
        """Those who edit the meeting change its action items."""
        return self.filter(meeting__in=Meeting.objects.editable_by(user).values("pk"))

    def status_changeable_by(self, user) -> ActionItemQuerySet:
        """The meeting's editors, and the item's owner while they still see the meeting."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(meeting__in=Meeting.objects.editable_by(user).values("pk"))
            | Q(owner=user, meeting__in=Meeting.objects.visible_to(user).values("pk"))
        )

    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def done(self) -> ActionItemQuerySet:
        return self.exclude(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionItemQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)

    def due_soon(self, today: datetime.date | None = None) -> ActionItemQuerySet:
        """Open and due today or within the next seven days."""
        today = today or timezone.localdate()
        return self.open().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )


class ActionItem(ChoiceLabels, models.Model):
    """A next step: what, who took it (a person, an organization, or both), by when."""

    class Status(models.TextChoices):
        NEEDS_ACTION = "needs_action", _("Needs action")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.NEEDS_ACTION, Status.IN_PROGRESS)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    owner_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("taken by organization"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=Status.choices,
        default=Status.NEEDS_ACTION,
        db_index=True,
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("from the decision"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("serves the partnership"),
    )
    alliance = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alliance_action_items",
        verbose_name=_("serves the alliance"),
        limit_choices_to={"kind__in": Organization.ALLIANCE_KINDS},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items_created",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before"),
        default=3,
        help_text=_("E-mail the owner this many days before the due date; 0: no reminder."),
    )
    # The due date a reminder was sent for: a new due date arms the reminder again.
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_organization__isnull=False),
                name="action_item_has_an_owner",
                violation_error_message=_("Give the person or the organization who took it."),
            ),
            models.CheckConstraint(
                condition=Q(remind_days_before__lte=60), name="action_item_remind_within_60_days"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_item_status_due")]

    def __str__(self) -> str:
        return self.what

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting_id]) + f"#action-{self.pk}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.owner_id is None and self.owner_organization_id is None:
            errors["owner"] = gettext("Give the person or the organization who took it.")
        if self.decision is not None and self.decision.meeting_id != self.meeting_id:
            errors["decision"] = gettext("Choose a decision of this meeting.")
        if self.remind_days_before > 60:
            errors["remind_days_before"] = gettext("Remind at most 60 days before.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today

    def is_due_soon(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.is_open
            and self.due_on is not None
            and today <= self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS)
        )

    @property
    def owner_label(self) -> str:
        names = []
        if self.owner is not None:
            names.append(self.owner.get_full_name() or self.owner.username)
        if self.owner_organization is not None:
            names.append(self.owner_organization.name)
        return ", ".join(names)
