"""Form pieces the funding forms share: date inputs, the currency field, the partnership field
of contributions and grants, and `ModelRules`, which lets a form report its model's own rules.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.funding.choices import currency_validator
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def model_field(model, name: str, **overrides: Any) -> forms.Field:
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
        qs = qs.filter(participants__organization__in=Organization.objects.member_of(user))
    return qs.distinct().order_by("title")


def partnership_field() -> PartnershipField:
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


class LinksPartnership:
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


class ModelRules:
    """Reports the model's single-row rules (`Model.clean()`) on the form's fields, as a ModelForm
    does: run on what the form cleaned, so a person sees them beside any other field's error
    without a round trip through the service (which checks the same through full_clean())."""

    rules_model: type[models.Model]
    instance: models.Model | None = None

    def clean(self) -> dict[str, Any]:
        form = cast(forms.BaseForm, self)
        data = super().clean()  # type: ignore[misc]
        names = {
            f.name
            for f in self.rules_model._meta.concrete_fields
            if not isinstance(f, models.FileField)
        }
        record = self.rules_model(
            **{name: value for name, value in data.items() if name in names and value is not None}
        )
        try:
            record.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in form.errors:
                    continue  # its own error says enough, as a ModelForm leaves it
                target = name if name in form.fields and name != NON_FIELD_ERRORS else None
                for message in messages:
                    form.add_error(target, message)
        return data
