"""Forms of in-kind support and funding: validation only. Writes go through hub.funding.services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.core.forms import (
    RecordChoiceField,
    VersionedForm,
    WholeNumberField,
    parse_int,
    read_digits,
)
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization
from hub.funding.models import (
    Grant,
    InKindContribution,
    ReportingDeadline,
    ValuationMethod,
    ValuationRate,
    currency_validator,
)
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field(model, name: str, **overrides: Any) -> forms.Field:
    field = model._meta.get_field(name).formfield(**overrides)
    if isinstance(field, forms.DateField):
        field.widget = DATE
    return field


class CurrencyField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("help_text", _("Three-letter ISO 4217 code, such as EUR, USD or CHF."))
        super().__init__(max_length=3, min_length=3, **kwargs)
        self.widget.attrs.update({"pattern": "[A-Za-z]{3}", "autocapitalize": "characters"})

    def clean(self, value: Any) -> str:
        text = super().clean((value or "").strip())
        if text and not (text.isascii() and text.isalpha()):
            raise forms.ValidationError(
                _("Write the currency as its three-letter ISO 4217 code, such as EUR."),
                code="currency",
            )
        text = text.upper()
        if text:
            currency_validator(text)  # a code ISO 4217 has ("ERU" is refused here, named)
        return text


def partnership_choices(user) -> Any:
    """Partnerships the user may see and that one of their organizations takes part in."""
    qs = Partnership.objects.visible_to(user)
    if not user.is_staff:
        qs = qs.filter(participants__organization__in=user.organization_ids())
    return qs.distinct().order_by("title")


def _partnership_field() -> PartnershipField:
    return PartnershipField(
        label=_("Partnership"),
        required=False,
        queryset=Partnership.objects.none(),
        help_text=_("Type a part of its title: a partnership your organization takes part in."),
        error_messages={
            "unknown": _(
                "None of the partnerships you may link matches “%(value)s”. Check the spelling "
                "or type a part of its title."
            ),
            "unknown_number": _("None of the partnerships you may link has this number."),
        },
    )


class _LinksPartnership:
    """The partnership field of the contribution and grant forms. It offers the user's own
    partnerships and the one the record is linked to, if the user may see it; a link to one they
    may not see is neither shown nor lost: left empty, the field keeps it."""

    fields: dict[str, forms.Field]
    hidden_link = False

    def _partnership_choices(self, user, instance) -> None:
        choices = partnership_choices(user)
        if instance is not None and instance.partnership_id:
            linked = Partnership.objects.visible_to(user).filter(pk=instance.partnership_id)
            self.hidden_link = not linked.exists()
            choices = Partnership.objects.filter(
                Q(pk__in=choices.values("pk")) | Q(pk__in=linked.values("pk"))
            ).order_by("title")
        field = cast(PartnershipField, self.fields["partnership"])
        field.queryset = choices
        if self.hidden_link:
            # Neither its title nor its number is shown.
            cast(forms.BaseForm, self).initial["partnership"] = None
            field.help_text = _(
                "It is linked to a partnership you may not see; it stays linked unless you "
                "choose another."
            )

    def _keep_hidden_link(self, data: dict[str, Any]) -> None:
        if self.hidden_link and data.get("partnership") is None:
            data.pop("partnership", None)


class ContributionForm(_LinksPartnership, VersionedForm):
    receiving_organization = OrganizationField(
        label=_("Receiving organization"), movement_only=True
    )
    donor_organization = OrganizationField(
        label=_("Donor organization"),
        required=False,
        help_text=_("Type a name, short code or Wikidata item and pick a suggestion."),
    )
    donor_name = _field(InKindContribution, "donor_name")
    partnership = _partnership_field()
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
        if not data.get("donor_organization") and not (data.get("donor_name") or "").strip():
            self.add_error("donor_organization", _("Name the donor: an organization or a person."))
        if data.get("value") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the value, such as EUR."))
        start, end = data.get("date"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its date."))
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


class RateForm(VersionedForm):
    category = _field(ValuationRate, "category")
    unit = _field(ValuationRate, "unit")
    amount = _field(ValuationRate, "amount")
    currency = CurrencyField()
    valid_from = _field(ValuationRate, "valid_from")
    valid_to = _field(ValuationRate, "valid_to")
    note = _field(ValuationRate, "note")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("'Valid to' cannot be before 'valid from'."))
        return data


class GrantForm(_LinksPartnership, VersionedForm):
    title = _field(Grant, "title")
    funder = OrganizationField(label=_("Funder"))
    recipient = OrganizationField(label=_("Recipient"), movement_only=True)
    partnership = _partnership_field()
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

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not (data.get("restriction") or "").strip():
            self.add_error("restriction", _("Say what the funds are restricted to."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        self._keep_hidden_link(data)
        return data


class DeadlineForm(forms.Form):
    due_date = _field(ReportingDeadline, "due_date")
    description = _field(ReportingDeadline, "description")


class ExchangeRateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ECB exchange-rate file (CSV)"),
        help_text=_(
            "eurofxref.csv or eurofxref-hist.csv as the European Central Bank publishes it."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."), code="too_large")
        return upload


class ReportingCurrencyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Reporting currency"), choices=[])

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in currencies]


class _MovementOrganizationField(OrganizationField):
    """A typed organization (with suggestions) that also takes a bare id, as links carry it.

    A <select> of every movement organization cost most of a cached infographic page (about
    1,500 options rendered on each request), so the page uses the suggestion field instead.
    """

    def prepare_value(self, value):
        if isinstance(value, str) and (number := parse_int(value)) is not None:
            value = number
        return super().prepare_value(value)

    def to_python(self, value):
        text = str(value or "").strip()
        return super().to_python(f"#{text}" if read_digits(text) is not None else text)


class InfographicForm(forms.Form):
    """What the infographic shows: an organization, an alliance or the movement, and a year."""

    organization = _MovementOrganizationField(
        label=_("Organization"),
        movement_only=True,
        required=False,
        help_text=_("Type a name, short code or Wikidata item and pick a suggestion."),
    )
    alliance = RecordChoiceField(
        label=_("…or an alliance or hub"),
        queryset=Organization.objects.alliances().order_by("name"),
        required=False,
        help_text=_("Leave both empty for the whole movement."),
    )
    year = WholeNumberField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    currency = forms.ChoiceField(label=_("Reporting currency"), choices=[], required=False)

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in currencies]

    def clean_year(self):
        # Empty: the view opens on the latest year with data for the viewer.
        return self.cleaned_data.get("year")


def default_year() -> int:
    return (timezone.localdate() - datetime.timedelta(days=365)).year
