"""Forms of the spreadsheet import pages: upload, column mapping, confirmation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.imports.columns import IGNORE, Target


class UploadForm(forms.Form):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Receiving organization"), queryset=Organization.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV, XLSX or ODS. In a workbook, the sheet with the list is found; you can choose "
            "another on the next page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,.ods"}),
    )
    default_currency = forms.RegexField(
        label=_("Currency of values that name none"),
        regex=r"^[A-Za-z]{3}$",
        initial="EUR",
        max_length=3,
        error_messages={"invalid": _("Three letters, such as EUR.")},
    )
    day_first = forms.TypedChoiceField(
        label=_("Dates like 1/3/2024 mean"),
        choices=[("1", _("1 March 2024 (day first)")), ("0", _("3 January 2024 (month first)"))],
        coerce=lambda value: value == "1",
        initial="1",
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # checked before anything reads the content
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; the hub reads files up to %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{settings.MAX_UPLOAD_BYTES / 1048576:.0f}",
                },
                code="too_large",
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        return upload

    def clean_default_currency(self):
        return self.cleaned_data["default_currency"].upper()


class MappingForm(forms.Form):
    """One choice per column of the file: which field (of the job's kind, `targets`) it feeds."""

    def __init__(
        self,
        *args,
        headers: list[str],
        mapping: dict[str, str],
        targets: tuple[Target, ...],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.by_name = {t.name: t for t in targets}
        choices = [(IGNORE, _("(do not import)"))] + [(t.name, t.label) for t in targets]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=mapping.get(header, IGNORE),
            )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        used: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            target = cleaned.get(f"col_{index}") or IGNORE
            if target == IGNORE:
                continue
            if target in used and not self.by_name[target].repeatable:
                self.add_error(
                    f"col_{index}",
                    ValidationError(
                        _("'%(field)s' is already fed by the column '%(other)s'.")
                        % {"field": self.by_name[target].label, "other": used[target]},
                        code="twice",
                    ),
                )
            used[target] = header
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"col_{index}") or IGNORE
            for index, header in enumerate(self.headers)
        }

    def rows(self):
        return [(header, self[f"col_{index}"]) for index, header in enumerate(self.headers)]


class SheetForm(forms.Form):
    """Which sheet of a workbook to read (shown only when it has more than one)."""

    sheet: forms.ChoiceField = forms.ChoiceField(label=_("Sheet"), required=False)

    def __init__(self, *args, sheets: list[tuple[str, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.ChoiceField = self.fields["sheet"]  # type: ignore[assignment]
        field.choices = [
            (name, _("%(name)s (hidden)") % {"name": name} if hidden else name)
            for name, hidden in sheets
        ]


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(required=False)


NEW_ORGANIZATION = 0


class MatchesForm(forms.Form):
    """For each name the check could not match for certain (the preview's `uncertain` list: the
    name as written, its folded key, and the candidates' ids and labels), which organization it
    is, or a new one."""

    def __init__(self, *args, uncertain: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.uncertain = uncertain
        for index, item in enumerate(uncertain):
            choices = [(str(c["id"]), c["label"]) for c in item["candidates"]]
            choices.append((str(NEW_ORGANIZATION), _("None of these: add it to the directory")))
            self.fields[f"match_{index}"] = forms.TypedChoiceField(
                label=item["name"],
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=item.get("chosen"),
                required=False,
            )

    def choices(self) -> dict[str, int]:
        """folded name -> the chosen organization's id (NEW_ORGANIZATION for a new one), for the
        names the person answered."""
        chosen = {}
        for index, item in enumerate(self.uncertain):
            value = self.cleaned_data.get(f"match_{index}")
            if value not in (None, ""):
                chosen[item["key"]] = value
        return chosen

    def rows(self):
        return [(item, self[f"match_{index}"]) for index, item in enumerate(self.uncertain)]
