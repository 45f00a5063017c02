"""The grant and deadline forms: validation only (their rules are the models', see ModelRules);
writes go through hub.funding.grants.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.core.forms import VersionedForm
from hub.directory.fields import OrganizationField
from hub.funding.fields import CurrencyField, LinksPartnership, ModelRules, partnership_field
from hub.funding.fields import model_field as _field
from hub.funding.grants.models import Grant, ReportingDeadline


class GrantForm(ModelRules, LinksPartnership, VersionedForm):
    rules_model = Grant

    title = _field(Grant, "title")
    funder = OrganizationField(label=_("Funder"))
    recipient = OrganizationField(label=_("Recipient"), movement_only=True)
    partnership = partnership_field()
    amount = _field(Grant, "amount")
    currency = CurrencyField()
    status = _field(Grant, "status")
    restricted = _field(Grant, "restricted")
    restriction = _field(
        Grant,
        "restriction",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the funds may be used for, when they are restricted."),
    )
    period_start = _field(Grant, "period_start")
    period_end = _field(Grant, "period_end")
    description = _field(Grant, "description", widget=forms.Textarea(attrs={"rows": 3}))
    confidential = _field(Grant, "confidential")

    def __init__(self, *args: Any, user, instance: Grant | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in self.base_fields if name != "version"},
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self._partnership_choices(user, instance)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        self._keep_hidden_link(data)
        return data


class DeadlineForm(forms.Form):
    due_date = _field(ReportingDeadline, "due_date")
    description = _field(ReportingDeadline, "description")
