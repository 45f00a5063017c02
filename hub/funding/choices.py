"""What every funding sub-domain shares at the model level: the categories and units of support,
how a value was found, the currency validator and the digits of money fields.

Import these from here (contributions and rates both use them; neither imports the other's models
for them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.funding.currencies import CurrencyCodeValidator

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
