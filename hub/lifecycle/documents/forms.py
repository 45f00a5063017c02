"""Forms of the documents pages: they validate, the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.documents.models import DocumentKind, Format
from hub.lifecycle.documents.uploads import MAX_UPLOAD_BYTES


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.ODT)
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=_("(none: from the partnership alone)"),
        help_text=_("Its parties, signatories, dates and agreed clauses fill the document."),
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Uploading again under the same name adds a new version."),
    )
    file = forms.FileField(
        label=_("Template file"),
        help_text=_(
            "An ODT or DOCX document, or a wikitext file, with the placeholders listed below."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        managed = Organization.objects.managed_by(user).order_by("name")
        self.fields["organization"].queryset = managed  # type: ignore[attr-defined]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES >> 20},
                code="too_large",
            )
        return upload
