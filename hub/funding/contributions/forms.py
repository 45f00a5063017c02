"""The contribution form: validation only (its rules are the model's, see ModelRules); writes go
through hub.funding.contributions.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hub.core.forms import VersionedForm
from hub.directory.fields import OrganizationField
from hub.funding.choices import ValuationMethod
from hub.funding.contributions.models import InKindContribution
from hub.funding.fields import CurrencyField, LinksPartnership, ModelRules, partnership_field
from hub.funding.fields import model_field as _field


class ContributionForm(ModelRules, LinksPartnership, VersionedForm):
    rules_model = InKindContribution

    receiving_organization = OrganizationField(
        label=_("Receiving organization"), movement_only=True
    )
    donor_organization = OrganizationField(
        label=_("Donor organization"),
        required=False,
        help_text=_("Type a name, short code or Wikidata item and pick a suggestion."),
    )
    donor_name = _field(InKindContribution, "donor_name")
    partnership = partnership_field()
    date = _field(InKindContribution, "date")
    period_end = _field(InKindContribution, "period_end")
    category = _field(InKindContribution, "category")
    description = _field(
        InKindContribution, "description", widget=forms.Textarea(attrs={"rows": 3})
    )
    quantity = _field(InKindContribution, "quantity")
    unit = _field(InKindContribution, "unit")
    value = _field(
        InKindContribution,
        "value",
        required=False,
        help_text=_("Leave empty to value the quantity with your organization's rate."),
    )
    currency = CurrencyField(required=False)
    valuation_method = forms.ChoiceField(
        label=_("Valuation method"),
        choices=[("", _("Automatic")), *ValuationMethod.choices],
        required=False,
        help_text=_(
            "Automatic: standard rate when valued from a rate, fair market value otherwise."
        ),
    )
    evidence_url = _field(InKindContribution, "evidence_url", assume_scheme="https")
    evidence_file = _field(InKindContribution, "evidence_file")
    acknowledgement = _field(
        InKindContribution, "acknowledgement", widget=forms.Textarea(attrs={"rows": 2})
    )
    confidential = _field(InKindContribution, "confidential")

    def __init__(self, *args: Any, user, instance: InKindContribution | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in self.base_fields if name != "version"},
                "version": instance.version,
            }
            if instance.value_source == "rate":
                kwargs["initial"]["value"] = None
        super().__init__(*args, **kwargs)
        self._partnership_choices(user, instance)
        self.fields["value"].widget.attrs["min"] = "0"
        self.fields["quantity"].widget.attrs["min"] = "0"

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and getattr(upload, "size", 0) > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload

    def clean(self):
        data = super().clean()
        # The model takes a blank currency for a value from a rate; a value given needs one.
        if data.get("value") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the value, such as EUR."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)
        elif data["evidence_file"] is False:  # "clear" ticked
            data["evidence_file"] = None
        self._keep_hidden_link(data)
        return data
