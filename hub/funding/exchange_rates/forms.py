"""The exchange-rate forms: the ECB file upload (staff) and the reporting currency choice."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
