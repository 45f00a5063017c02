"""The agreement forms: validation only; writes go through hub.lifecycle.agreements.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hub.core.forms import VersionedForm
from hub.funding.fields import model_field as _field
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements.models import Agreement, AgreementParty, ChecklistItem
from hub.partnerships.models import Partnership

FIELDS = (
    "kind",
    "title",
    "status",
    "effective_date",
    "end_date",
    "renewal_date",
    "licence",
    "vrt_ticket",
    "details_public",
)


class AgreementForm(VersionedForm):
    kind = _field(Agreement, "kind")
    title = _field(Agreement, "title")
    status = _field(Agreement, "status")
    effective_date = _field(Agreement, "effective_date")
    end_date = _field(Agreement, "end_date")
    renewal_date = _field(Agreement, "renewal_date")
    licence = _field(Agreement, "licence")
    vrt_ticket = _field(Agreement, "vrt_ticket")
    grant = forms.ModelChoiceField(
        label=_("Grant"),
        queryset=Grant.objects.none(),
        required=False,
        help_text=_("The grant of this partnership the agreement governs, if any."),
    )
    details_public = _field(Agreement, "details_public")

    def __init__(
        self, *args: Any, user, partnership: Partnership, instance: Agreement | None = None, **kw
    ):
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{name: getattr(instance, name) for name in FIELDS},
                "grant": instance.grant_id,
                "version": instance.version,
            }
        super().__init__(*args, **kw)
        grant_field = cast(forms.ModelChoiceField, self.fields["grant"])
        grant_field.queryset = Grant.objects.visible_to(user).filter(partnership=partnership)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PartyForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int, required=False)
    executing_unit = _field(AgreementParty, "executing_unit")
    signatory_name = _field(AgreementParty, "signatory_name")
    signatory_role = _field(AgreementParty, "signatory_role")
    signed_on = _field(AgreementParty, "signed_on")
    address = _field(AgreementParty, "address", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, choices=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["organization"])
        field.choices = [("", "—"), *choices]


class BasePartyFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.participants = {
            p.organization_id: p.organization
            for p in partnership.participants.select_related("organization")
        }
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"choices": [(pk, str(org)) for pk, org in self.participants.items()]}

    def parties(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("organization"):
                continue
            rows.append({**data, "organization": self.participants[data["organization"]]})
        return rows


PartyFormSet = cast(
    type[BasePartyFormSet],
    forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, max_num=20),
)


def party_initial(agreement: Agreement | None) -> list[dict[str, Any]]:
    if agreement is None:
        return []
    return [
        {
            "organization": p.organization_id,
            "executing_unit": p.executing_unit,
            "signatory_name": p.signatory_name,
            "signatory_role": p.signatory_role,
            "signed_on": p.signed_on,
            "address": p.address,
        }
        for p in agreement.parties.all()
    ]


class ChecklistForm(forms.Form):
    """One score and one note per topic of the partnering-agreement scorecard."""

    def __init__(self, *args: Any, agreement: Agreement | None = None, **kwargs: Any) -> None:
        items = {i.topic: i for i in agreement.checklist.all()} if agreement else {}
        kwargs.setdefault(
            "initial",
            {
                **{f"score_{t}": i.score for t, i in items.items()},
                **{f"note_{t}": i.note for t, i in items.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.topics = []
        for topic, label in ChecklistItem.Topic.choices:
            self.fields[f"score_{topic}"] = forms.ChoiceField(
                label=_("Score: %(topic)s") % {"topic": label},
                choices=[("", _("Not scored yet")), *ChecklistItem.Score.choices],
                required=False,
            )
            self.fields[f"note_{topic}"] = forms.CharField(
                label=_("Note: %(topic)s") % {"topic": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.topics.append((label, self[f"score_{topic}"], self[f"note_{topic}"]))

    def checklist(self) -> dict[str, dict[str, str]]:
        return {
            topic: {
                "score": self.cleaned_data.get(f"score_{topic}", ""),
                "note": self.cleaned_data.get(f"note_{topic}", ""),
            }
            for topic in ChecklistItem.Topic.values
        }


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, ODT, DOCX, or a PNG or JPEG scan; a new version never replaces one."),
    )
    signed = forms.BooleanField(label=_("Signed copy"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "size", 0) > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload
