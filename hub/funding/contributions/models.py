"""In-kind contributions: goods, services, space or time given to a movement organization.

Who sees what (the rule every page, export, infographic and the API share):
- a contribution that is not confidential is public, like the receiving organization's public
  records;
- a confidential one is seen only by members (any role) of the receiving organization, members of
  the donor organization when that is a movement organization, and staff.
Editors and managers of the receiving organization (and staff) edit its contributions; a donor
organization's members never edit what another organization received.

The single-row rules live in `InKindContribution.clean()` (each named on its field) and in the
table's constraints (the database's guard of the same rules).
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

from hub.core.weburl import WebURLField
from hub.directory.models import Organization
from hub.funding.choices import (
    MONEY_DIGITS,
    QUANTITY_DIGITS,
    Category,
    Unit,
    ValuationMethod,
    ValueSource,
    currency_validator,
)
from hub.partnerships.models import LinksPartnership, Partnership


class InKindContributionQuerySet(LinksPartnership, models.QuerySet["InKindContribution"]):
    def visible_to(self, user) -> InKindContributionQuerySet:
        """Non-confidential ones to all; confidential ones to the receiving/donor orgs' members."""
        if not user.is_authenticated:
            return self.filter(confidential=False)
        if user.is_staff:
            return self
        mine = Organization.objects.member_of(user).values("pk")
        return self.filter(
            Q(confidential=False)
            | Q(receiving_organization_id__in=mine)
            | Q(donor_organization_id__in=mine)
        )

    def editable_by(self, user) -> InKindContributionQuerySet:
        """What `user` may change: what their organization received, as its editor or manager."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            receiving_organization_id__in=Organization.objects.editable_by(user).values("pk")
        )

    def current(self) -> InKindContributionQuerySet:
        """Not archived."""
        return self.filter(archived=False)

    def in_year(self, year: int) -> InKindContributionQuerySet:
        # A range (not date__year) so the (receiving organization, date) index is used.
        return self.filter(
            date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1)
        )


def evidence_path(instance: InKindContribution, filename: str) -> str:
    return f"inkind/{instance.receiving_organization_id}/{filename}"


class InKindContribution(models.Model):
    """Goods, services, space or time given to a movement organization instead of money."""

    receiving_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="inkind_received",
        verbose_name=_("receiving organization"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    donor_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inkind_given",
        verbose_name=_("donor organization"),
    )
    donor_name = models.CharField(
        _("donor (person or unlisted donor)"),
        max_length=200,
        blank=True,
        help_text=_("When the donor is a person or not in the directory."),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inkind_contributions",
        verbose_name=_("partnership"),
    )
    # The hub's own wording for a missing or negative value, in every path that validates a row
    # (forms, API, import preview): the model is where the rule and its message live.
    date = models.DateField(
        _("date"), error_messages={"null": _("Give the date."), "blank": _("Give the date.")}
    )
    period_end = models.DateField(
        _("end of period"), null=True, blank=True, help_text=_("When it was given over a period.")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(
        _("quantity"), null=True, blank=True, max_digits=QUANTITY_DIGITS, decimal_places=2
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    value = models.DecimalField(
        _("value"),
        validators=[MinValueValidator(Decimal(0), message=_("The value cannot be negative."))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[currency_validator],
        error_messages={"blank": _("Give the currency of the value, such as EUR.")},
    )
    valuation_method = models.CharField(
        _("valuation method"), max_length=20, choices=ValuationMethod.choices
    )
    value_source = models.CharField(
        _("value from"), max_length=10, choices=ValueSource.choices, default=ValueSource.GIVEN
    )
    valuation_rate = models.ForeignKey(
        "ValuationRate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("valuation rate used"),
    )
    evidence_url = WebURLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=evidence_path, max_length=300, blank=True
    )
    acknowledgement = models.TextField(
        _("acknowledgement"), blank=True, help_text=_("How the donor was credited.")
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only members of the receiving and donor organizations see it."),
    )
    # NULL (not ""): records made in the hub have no key, and NULLs never collide.
    import_key = models.CharField(max_length=80, null=True, blank=True, editable=False)  # noqa: DJ001
    # The history entry of the import that created it: an import records one entry for all its
    # rows, on the receiving organization, instead of one per row (no index: it is only read
    # from a contribution's history page).
    import_entry = models.ForeignKey(
        "core.HistoryEntry",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InKindContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("in-kind contribution")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="inkind_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="inkind_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("date")),
                name="inkind_period_end_not_before_date",
                violation_error_message=_("The end of the period cannot be before its date."),
            ),
            models.CheckConstraint(
                condition=Q(donor_organization__isnull=False) | ~Q(donor_name=""),
                name="inkind_has_donor",
                violation_error_message=_("Name the donor: an organization or a person."),
            ),
            models.CheckConstraint(
                condition=Q(value_source="given") | Q(valuation_rate__isnull=False),
                name="inkind_rate_value_names_rate",
            ),
            models.UniqueConstraint(
                fields=["receiving_organization", "import_key"],
                name="inkind_import_key_per_org",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_organization", "date"], name="inkind_org_date"),
            models.Index(fields=["date", "category"], name="inkind_date_category"),
            models.Index(fields=["donor_organization", "date"], name="inkind_donor_date"),
            models.Index(fields=["partnership"], name="inkind_partnership"),
            # The lists' default order (newest first, ties by id) and one category by value, for
            # keyset pages at a million contributions (see docs/benchmarks.md).
            models.Index(fields=["-date", "-id"], name="inkind_date_id"),
            models.Index(fields=["category", "-value", "-id"], name="inkind_category_value"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.donor_label} → {self.receiving_organization}"

    def get_absolute_url(self) -> str:
        return reverse("funding:contribution_detail", args=[self.pk])

    @property
    def donor_label(self) -> str:
        if self.donor_organization_id:
            return str(self.donor_organization)
        return self.donor_name

    def clean(self) -> None:
        """The single-row rules of a contribution, each on its field (full_clean() runs it; the
        bulk import runs it after its field checks). The table's constraints guard the same."""
        errors: dict[str, list[str]] = {}

        def fail(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        if self.receiving_organization_id is None:
            fail("receiving_organization", gettext("Choose the organization that received it."))
        elif not self.receiving_organization.is_movement:
            fail(
                "receiving_organization",
                gettext("The receiving organization must be in the movement."),
            )
        if not self.donor_organization_id and not self.donor_name:
            fail("donor_organization", gettext("Name the donor: an organization or a person."))
        # A missing date, value or currency, or a negative value, is its field's own error.
        if self.period_end and _before(self.period_end, self.date):
            fail("period_end", gettext("The end of the period cannot be before its date."))
        if self.quantity is not None:
            quantity = _number(self.quantity)
            if quantity is not None and quantity <= 0:
                fail("quantity", gettext("The quantity must be more than zero."))
            if not self.unit:
                fail(
                    "unit",
                    gettext(
                        "Give the unit of the quantity (hours, persons, days, m²·days, items)."
                    ),
                )
        elif self.unit:
            fail("quantity", gettext("Give the quantity of %(unit)s.") % {"unit": self.unit})
        if errors:
            raise ValidationError(errors)


def _number(value) -> Decimal | None:
    """A quantity or value as a Decimal, or None when it is not one (its field says so)."""
    try:
        number = None if value is None else Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return number if number is None or number.is_finite() else None


def _before(end, start) -> bool:
    """Whether the date `end` is before `start` (False when either is not yet a date: the date
    fields report that)."""
    return isinstance(end, datetime.date) and isinstance(start, datetime.date) and end < start
