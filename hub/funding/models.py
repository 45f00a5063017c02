"""In-kind support and funding (C6): contributions, valuation rates, exchange rates, grants.

Who sees what (the rule every page, export, infographic and the API share):
- a contribution or grant that is not confidential is public, like the receiving organization's
  public records;
- a confidential one is seen only by members (any role) of the receiving organization, members of
  the donor (or funder) organization when that is a movement organization, and staff;
- valuation rates are public: they are the constants that make figures comparable, and showing them
  explains every computed value;
- exchange rates are reference data, public.
Editors and managers of the receiving organization (and staff) edit its contributions, grants and
rates; a donor organization's members never edit what another organization received.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import EDIT_ROLES
from hub.core.weburl import WebURLField
from hub.directory.models import Organization
from hub.funding.iso4217 import CurrencyCodeValidator
from hub.partnerships.models import LinksPartnership, Partnership

currency_validator = CurrencyCodeValidator()

MONEY_DIGITS, QUANTITY_DIGITS = 16, 14


class Category(models.TextChoices):
    VENUE_SPACE = "venue_space", _("Venue / space")
    CATERING = "catering", _("Catering")
    TRAVEL_ACCOMMODATION = "travel_accommodation", _("Travel and accommodation")
    EQUIPMENT_GOODS = "equipment_goods", _("Equipment and goods")
    PRINTING_MERCHANDISE = "printing_merchandise", _("Printing and merchandise")
    PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
    STAFF_TIME = "staff_time", _("Partner staff time")
    VOLUNTEER_TIME = "volunteer_time", _("Volunteer time")
    MEDIA_ADVERTISING = "media_advertising", _("Media and advertising")
    PRIZES = "prizes", _("Prizes")
    SOFTWARE_LICENCES = "software_licences", _("Software and licences")
    CONTENT_LICENSING = "content_licensing", _("Content or data licensing")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    PERSONS = "persons", _("persons")
    DAYS = "days", _("days")
    SQUARE_METRE_DAYS = "m2_days", _("m²·days")
    ITEMS = "items", _("items")


class ValuationMethod(models.TextChoices):
    FAIR_MARKET_VALUE = "fair_market_value", _("Fair market value")
    DONOR_STATED = "donor_stated", _("Stated by the donor")
    STANDARD_RATE = "standard_rate", _("Standard rate (our own constants)")
    WAIVED_INVOICE = "waived_invoice", _("Waived invoice")


class ValueSource(models.TextChoices):
    GIVEN = "given", _("Value given")
    RATE = "rate", _("Computed from a valuation rate")


def _member_org_ids(user):
    return user.memberships.values("organization_id")


def _edit_org_ids(user):
    return user.memberships.filter(role__in=EDIT_ROLES).values("organization_id")


class InKindContributionQuerySet(LinksPartnership, models.QuerySet["InKindContribution"]):
    def visible_to(self, user) -> InKindContributionQuerySet:
        """Non-confidential ones to all; confidential ones to the receiving/donor orgs' members."""
        if not user.is_authenticated:
            return self.filter(confidential=False)
        if user.is_staff:
            return self
        mine = _member_org_ids(user)
        return self.filter(
            Q(confidential=False)
            | Q(receiving_organization_id__in=mine)
            | Q(donor_organization_id__in=mine)
        )

    def editable_by(self, user) -> InKindContributionQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(receiving_organization_id__in=_edit_org_ids(user))

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
    date = models.DateField(_("date"))
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
        validators=[MinValueValidator(Decimal(0))],
        max_digits=MONEY_DIGITS,
        decimal_places=2,
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
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
        return self.filter(organization_id__in=_edit_org_ids(user))


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


class ExchangeRate(models.Model):
    """A reference rate as the ECB publishes it: 1 EUR = `rate` units of `currency` on `date`."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    rate = models.DecimalField(_("units per euro"), max_digits=20, decimal_places=8)

    class Meta:
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="exchange_rate_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]
        indexes = [models.Index(fields=["currency", "date"], name="exchange_currency_date")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: 1 EUR = {self.rate} {self.currency}"


class GrantQuerySet(LinksPartnership, models.QuerySet["Grant"]):
    def visible_to(self, user) -> GrantQuerySet:
        """Like contributions: public unless confidential; then recipient's/funder's members."""
        if not user.is_authenticated:
            return self.filter(confidential=False)
        if user.is_staff:
            return self
        mine = _member_org_ids(user)
        return self.filter(Q(confidential=False) | Q(recipient_id__in=mine) | Q(funder_id__in=mine))

    def editable_by(self, user) -> GrantQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(recipient_id__in=_edit_org_ids(user))


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
        validators=[MinValueValidator(Decimal(0))],
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


class ReportingDeadlineQuerySet(models.QuerySet["ReportingDeadline"]):
    def due_within(self, days: int, *, today: datetime.date) -> ReportingDeadlineQuerySet:
        """Open deadlines up to `days` ahead, overdue ones included."""
        return self.filter(done=False, due_date__lte=today + datetime.timedelta(days=days))


class ReportingDeadline(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="deadlines")
    due_date = models.DateField(_("due date"))
    description = models.CharField(_("what is due"), max_length=300)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReportingDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["done", "due_date"], name="deadline_open_due")]

    def __str__(self) -> str:
        return f"{self.due_date.isoformat()}: {self.description}"


# The spreadsheet import keeps its models in its own package (hub/funding/imports/models.py).
from hub.funding.imports.models import ColumnMapping, ImportJob, StagedContribution  # noqa: E402, F401
