"""Exchange rates: reference data (public), as the European Central Bank publishes them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.funding.choices import currency_validator


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
