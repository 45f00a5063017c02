"""Valuation rates: an organization's constants (an hour of volunteer time = 20 EUR, from a date).

Rates are public: they are the constants that make figures comparable, and showing them explains
every computed value. Editors and managers of the organization (and staff) change them.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.funding.choices import MONEY_DIGITS, Category, Unit, currency_validator

CENT = Decimal("0.01")


class ValuationRateQuerySet(models.QuerySet["ValuationRate"]):
    def in_force(self, on_date: datetime.date) -> ValuationRateQuerySet:
        return self.filter(valid_from__lte=on_date).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
        )

    def editable_by(self, user) -> ValuationRateQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(organization_id__in=Organization.objects.editable_by(user).values("pk"))


class ValuationRate(models.Model):
    """One of an organization's constants: e.g. an hour of volunteer time = 20 EUR, from a date."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="valuation_rates",
        verbose_name=_("organization"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    amount = models.DecimalField(
        _("amount per unit"),
        validators=[MinValueValidator(Decimal(0))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ValuationRateQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "category", "unit", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="rate_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rate_valid_to_not_before_from",
                violation_error_message=_("'Valid to' cannot be before 'valid from'."),
            ),
            models.UniqueConstraint(
                fields=["organization", "category", "unit", "valid_from"],
                name="rate_one_per_start",
                violation_error_message=_("A rate for this category and unit starts that day."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(category)s: %(amount)s %(currency)s / %(unit)s (from %(date)s)") % {
            "category": self.get_category_display(),
            "amount": number_format(self.amount, decimal_pos=2, force_grouping=True),
            "currency": self.currency,
            "unit": self.get_unit_display(),
            "date": date_format(self.valid_from, "DATE_FORMAT"),
        }

    def clean(self) -> None:
        """The single-row rule of a rate (the constraint guards it in the database too)."""
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": gettext("'Valid to' cannot be before 'valid from'.")}
            )

    def value_of(self, quantity: Decimal | int) -> Decimal:
        """What `quantity` units are worth at this rate, to the cent (half up): the one place a
        contribution's value is computed from a rate."""
        return (Decimal(quantity) * self.amount).quantize(CENT, rounding=ROUND_HALF_UP)


class RateBook:
    """Valuation rates looked up without a query per contribution (imports value many rows)."""

    def __init__(self) -> None:
        self._by_org: dict[int, list[ValuationRate]] = {}
        # The answers of hub.funding.common.check_partnership, remembered with the rates: the
        # import validates many rows with one book.
        self.partnerships: dict[tuple[int, int], bool] = {}

    def in_force(
        self, organization: Organization, category: str, unit: str, on_date: datetime.date
    ) -> ValuationRate | None:
        """The organization's rate for category and unit in force on the date (latest start)."""
        if organization.pk not in self._by_org:
            self._by_org[organization.pk] = list(
                ValuationRate.objects.filter(organization=organization).order_by("-valid_from")
            )
        for rate in self._by_org[organization.pk]:
            if (
                rate.category == category
                and rate.unit == unit
                and rate.valid_from <= on_date
                and (rate.valid_to is None or rate.valid_to >= on_date)
            ):
                return rate
        return None


def rate_in_force(
    organization: Organization, category: str, unit: str, on_date: datetime.date
) -> ValuationRate | None:
    """The organization's rate for category and unit in force on the date (one query)."""
    return (
        ValuationRate.objects.filter(organization=organization, category=category, unit=unit)
        .in_force(on_date)
        .order_by("-valid_from")
        .first()
    )
