"""Forms of the registry: validation only. Writes go through hub.partnerships.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hub.directory.fields import OrganizationField
from hub.partnerships.models import (
    Goal,
    Participant,
    Partnership,
    PartnershipLink,
    WikimediaProject,
)
from hub.partnerships.services import ParticipantSpec

PARTICIPANT_ROLES = [
    (v, label) for v, label in Participant.Role.choices if v != Participant.Role.LEAD
]


class PartnershipForm(forms.ModelForm):
    lead = OrganizationField(label=_("Lead organization"), movement_only=True)
    goals = forms.MultipleChoiceField(
        label=_("Goals"),
        choices=Goal.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one goal.")},
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Wikimedia projects"),
        queryset=WikimediaProject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        help_text=_("Separate themes with commas, e.g. GLAM, education, cultural heritage."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a label, a space, then the address. Or just the address."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Partnership
        fields = [
            "title",
            "lead",
            "goals",
            "structure",
            "direction_override",
            "direction_override_reason",
            "status",
            "scope",
            "start_date",
            "end_date",
            "projects",
            "themes",
            "visibility",
            "description",
            "links",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"direction_override": _("Direction (leave empty to derive it)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            # The model's own values for these are objects; the form shows them as text.
            self.initial["goals"] = instance.goals
            self.initial["themes"] = ", ".join(t.name for t in instance.themes.all())
            self.initial["links"] = "\n".join(
                f"{link.label} {link.url}" for link in instance.links.all()
            )
            self.initial["lead"] = instance.lead
            self.initial["version"] = instance.version
        self.fields["direction_override"].choices = [
            ("", _("Derived from the participants")),
            *Partnership.Direction.choices,
        ]

    def clean_themes(self):
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]

    def clean_links(self):
        links = []
        validate = PartnershipLink._meta.get_field("url").formfield().clean
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            label, _sep, url = line.rpartition(" ")
            try:
                url = validate(url)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(n)s: %(error)s"),
                    params={"n": number, "error": " ".join(exc.messages)},
                    code="link",
                ) from exc
            links.append((label.strip() or url, url))
        return links

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if (
            data.get("direction_override")
            and not (data.get("direction_override_reason") or "").strip()
        ):
            self.add_error(
                "direction_override_reason", _("Say why the derived direction does not fit.")
            )
        return data


class ParticipantForm(forms.Form):
    organization = OrganizationField(label=_("Organization"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=PARTICIPANT_ROLES, initial=Participant.Role.PARTNER
    )


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            org = form.cleaned_data.get("organization")
            if org is None:
                continue
            if org.pk in seen:
                form.add_error("organization", _("%(org)s is listed twice.") % {"org": org})
            seen.add(org.pk)
        if not seen:
            raise ValidationError(
                _("Add at least one participating organization besides the lead.")
            )

    def specs(self) -> list[ParticipantSpec]:
        return [
            ParticipantSpec(form.cleaned_data["organization"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("organization")
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=0, max_num=50, validate_max=True
)


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(s.value, s.label) for s in Partnership.END_STATUSES],
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("What happened, in a sentence or two"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
