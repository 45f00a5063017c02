"""The valuation-rate form: validation only (its rule is the model's, see ModelRules); writes go
through hub.funding.rates.services."""

from __future__ import annotations

from hub.core.forms import VersionedForm
from hub.funding.fields import CurrencyField, ModelRules
from hub.funding.fields import model_field as _field
from hub.funding.rates.models import ValuationRate


class RateForm(ModelRules, VersionedForm):
    rules_model = ValuationRate

    category = _field(ValuationRate, "category")
    unit = _field(ValuationRate, "unit")
    amount = _field(ValuationRate, "amount")
    currency = CurrencyField()
    valid_from = _field(ValuationRate, "valid_from")
    valid_to = _field(ValuationRate, "valid_to")
    note = _field(ValuationRate, "note")
