"""Grants (cash support from a funder to a movement organization) and their reporting deadlines.

Who sees what: like contributions, a grant is public unless confidential; a confidential one is
seen by members of the recipient and of the funder, and staff. Editors and managers of the
recipient (and staff) change a grant and its deadlines.

The single-row rules live in `Grant.clean()` / `ReportingDeadline.clean()` (each named on its
field) and in the table's constraints (the database's guard of the same rules).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.funding.choices import MONEY_DIGITS, currency_validator
from hub.partnerships.models import LinksPartnership, Partnership


class GrantQuerySet(LinksPartnership, models.QuerySet["Grant"]):
    def visible_to(self, user) -> GrantQuerySet:
        """Like contributions: public unless confidential; then recipient's/funder's members."""
        if not user.is_authenticated:
            return self.filter(confidential=False)
        if user.is_staff:
            return self
        mine = Organization.objects.member_of(user).values("pk")
        return self.filter(Q(confidential=False) | Q(recipient_id__in=mine) | Q(funder_id__in=mine))

    def editable_by(self, user) -> GrantQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(recipient_id__in=Organization.objects.editable_by(user).values("pk"))


class Grant(models.Model):
    """Cash support: a grant or other funding from a funder to a movement organization."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        APPLIED = "applied", _("Applied")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")
        REPORTED = "reported", _("Reported")

    title = models.CharField(_("title"), max_length=200)
    funder = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="grants_given",
        verbose_name=_("funder"),
    )
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="grants_received",
        verbose_name=_("recipient"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("partnership"),
    )
    amount = models.DecimalField(
        _("amount"),
        validators=[MinValueValidator(Decimal(0), message=_("The amount cannot be negative."))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    restricted = models.BooleanField(_("restricted"), default=False)
    restriction = models.TextField(_("restriction"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT
    )
    description = models.TextField(_("description"), blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    # NULL (not ""): records made in the hub have no key, and NULLs never collide.
    import_key = models.CharField(max_length=80, null=True, blank=True, editable=False)  # noqa: DJ001
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="grant_period_end_not_before_start",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.UniqueConstraint(
                fields=["recipient", "import_key"], name="grant_import_key_per_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "period_start"], name="grant_recipient_start"),
            models.Index(fields=["funder"], name="grant_funder"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:grant_detail", args=[self.pk])

    def clean(self) -> None:
        """The single-row rules of a grant, each on its field (full_clean() runs it; the
        constraints guard the period and the amount in the database too)."""
        errors: dict[str, str] = {}
        if self.recipient_id is None:
            errors["recipient"] = gettext("Choose the recipient.")
        elif not self.recipient.is_movement:
            errors["recipient"] = gettext("The recipient must be a movement organization.")
        if self.funder_id is None:
            errors["funder"] = gettext("Choose the funder.")
        elif self.funder_id == self.recipient_id:
            errors["funder"] = gettext("The funder and the recipient are the same organization.")
        if self.restricted and not self.restriction.strip():
            errors["restriction"] = gettext("Say what the funds are restricted to.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = gettext("The end of the period cannot be before its start.")
        if errors:
            raise ValidationError(errors)


class ReportingDeadlineQuerySet(models.QuerySet["ReportingDeadline"]):
    def due_within(self, days: int, *, today: datetime.date) -> ReportingDeadlineQuerySet:
        """Open deadlines up to `days` ahead, overdue ones included."""
        return self.filter(done=False, due_date__lte=today + datetime.timedelta(days=days))


class ReportingDeadline(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="deadlines")
    due_date = models.DateField(_("due date"))
    description = models.CharField(
        _("what is due"), max_length=300, error_messages={"blank": _("Say what is due.")}
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReportingDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["done", "due_date"], name="deadline_open_due")]

    def __str__(self) -> str:
        return f"{self.due_date.isoformat()}: {self.description}"
