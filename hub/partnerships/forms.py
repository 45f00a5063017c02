"""Forms of the registry: validation only. Writes go through hub.partnerships.services."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.core.forms import VersionedForm
from hub.directory.fields import OrganizationField, organization_label
from hub.directory.models import Organization
from hub.partnerships.models import (
    Goal,
    Participant,
    Partnership,
    PartnershipLink,
    WikimediaProject,
)
from hub.partnerships.services import ParticipantSpec

EXTERNAL_KINDS = [
    (v, label) for v, label in Organization.Kind.choices if v not in Organization.MOVEMENT_KINDS
]
PARTICIPANT_ROLES = [
    (v, label) for v, label in Participant.Role.choices if v != Participant.Role.LEAD
]


class PartnershipForm(VersionedForm, forms.ModelForm):
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
        # These fields stand for relations: Django's initial value for a new partnership is an
        # empty list, which a text box would show (and save) as "[]".
        for name in ("themes", "links"):
            if not isinstance(self.initial.get(name), str):
                self.initial[name] = ""
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

    # The dates' order and the override's reason are Partnership.clean()'s rules: the model
    # form's own validation reports them on their fields.


class ParticipantForm(forms.Form):
    organization = OrganizationField(
        label=_("Organization"),
        required=False,
        error_messages={
            "unknown": _(
                "No organization matches “%(value)s”. Check the spelling, or add it below under "
                "“Add a new organization”."
            )
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=PARTICIPANT_ROLES, initial=Participant.Role.PARTNER
    )


class BaseParticipantFormSet(forms.BaseFormSet):
    # Set by the view when the form also adds a new organization, which participates too.
    adds_organization = False

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
        if not seen and not self.adds_organization:
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


class NewOrganizationForm(forms.ModelForm):
    """A partner not yet in the directory, added from the partnership form in the same post.

    Empty, it adds nothing; with a name, the view creates it through `organization_create` in the
    partnership's own transaction and lists it among the participants."""

    role = forms.ChoiceField(
        label=_("Its role"), choices=PARTICIPANT_ROLES, initial=Participant.Role.PARTNER
    )

    class Meta:
        model = Organization
        fields = ["name", "kind", "country", "website"]
        labels = {"name": _("Name of the new organization")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "kind"):
            self.fields[name].required = False  # only when something is typed: see clean()
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", "—"), *EXTERNAL_KINDS]

    @property
    def wanted(self) -> bool:
        """Whether the person typed anything into it (a role alone does not count)."""
        return self.is_bound and any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("name", "kind", "country", "website")
        )

    def full_clean(self):
        if self.is_bound and not self.wanted:
            self.cleaned_data = {}
            self._errors = forms.utils.ErrorDict()
            return
        super().full_clean()

    def _post_clean(self):
        pass  # the service validates the organization (and records it), not the form's instance

    def clean(self):
        data = super().clean()
        name = " ".join((data.get("name") or "").split())
        if not name:
            self.add_error("name", _("Give the new organization's name."))
        elif existing := Organization.objects.filter(
            Q(name__iexact=name) | Q(local_name__iexact=name)
        ).first():
            self.add_error(
                "name",
                _("%(org)s is already in the directory: type it in a participant row above.")
                % {"org": organization_label(existing)},
            )
        if not data.get("kind"):
            self.add_error("kind", _("Choose what kind of organization it is."))
        data["name"] = name
        return data

    def organization_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "kind", "country", "website")}


class EndForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(s.value, s.label) for s in Partnership.END_STATUSES],
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("What happened, in a sentence or two"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
