from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.core.regions import country_choices
from hub.directory.fields import OrganizationField
from hub.directory.models import AllianceMembership, Organization, Person


class OrganizationFilter(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Any")),
            ("movement", _("Any movement organization")),
            ("external", _("Any external organization")),
            *Organization.Kind.choices,
        ],
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Organization.Status.choices], required=False
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)
        self.is_valid()
        self.notices = [
            _("Ignored the filter “%(label)s”: %(error)s")
            % {"label": self.fields[name].label, "error": " ".join(errors)}
            for name, errors in self.errors.items()
        ]

    def apply(self, qs):
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if text := data.get("q"):
            qs = qs.search(text)
        kind = data.get("kind")
        if kind == "movement":
            qs = qs.movement()
        elif kind == "external":
            qs = qs.external()
        elif kind:
            qs = qs.filter(kind=kind)
        if country := data.get("country"):
            qs = qs.filter(country=country)
        if status := data.get("status"):
            qs = qs.filter(status=status)
        return qs


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "local_name",
            "kind",
            "short_code",
            "status",
            "country",
            "city",
            "recognized_on",
            "website",
            "wikidata_id",
            "ror_id",
            "isil",
            "viaf_id",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, allow_movement: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_movement and not (self.instance.pk and self.instance.is_movement):
            kind_field = cast(forms.ChoiceField, self.fields["kind"])
            kind_field.choices = [
                (v, label)
                for v, label in Organization.Kind.choices
                if v not in Organization.MOVEMENT_KINDS
            ]

    def clean_wikidata_id(self):
        # "q42" is Q42 too
        return (self.cleaned_data.get("wikidata_id") or "").strip().upper()

    def clean_short_code(self):
        return (self.cleaned_data.get("short_code") or "").strip().upper() or None


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "role", "email", "phone", "consent_note"]
        widgets = {"consent_note": forms.Textarea(attrs={"rows": 2})}


class AllianceMemberForm(forms.ModelForm):
    member = OrganizationField(label=_("Member organization"), movement_only=True)

    class Meta:
        model = AllianceMembership
        fields = ["member", "role", "since", "until"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
