"""The steps pages' forms: validation only; writes go through steps/services.py and progress.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import User
from hub.lifecycle.steps.models import MovingOn, Step, StepLink
from hub.lifecycle.steps.presets import PRESET_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdoptForm(forms.Form):
    preset = forms.ChoiceField(label=_("Lifecycle"), choices=PRESET_CHOICES)
    default = forms.BooleanField(label=_("Default for new partnerships"), required=False)

    def __init__(self, *args: Any, adopted: set[str] = frozenset(), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [  # type: ignore[attr-defined]
            (key, label) for key, label in PRESET_CHOICES if key not in adopted
        ]


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    milestone = forms.ChoiceField(
        label=_("Milestone"),
        choices=[("", _("None")), *Step.Milestone.choices],
        required=False,
    )
    actions = forms.CharField(
        label=_("Concrete actions"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    obstacles = forms.CharField(
        label=_("Potential obstacles"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LinkForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120)
    url = StepLink._meta.get_field("url").formfield()


class MoveForm(forms.Form):
    step = forms.ModelChoiceField(label=_("Move to step"), queryset=Step.objects.none())
    on = forms.DateField(label=_("On"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, progress, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        field.queryset = progress.lifecycle.steps.filter(retired_at__isnull=True)  # type: ignore[attr-defined]
        field.label_from_instance = lambda step: str(step.label)  # type: ignore[attr-defined]


class NextActionForm(forms.Form):
    action = forms.CharField(label=_("Next action"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due = forms.DateField(label=_("Due"), widget=DATE, required=False)

    def __init__(self, *args: Any, members, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]


class MovingOnForm(forms.ModelForm):
    end_partnership = forms.BooleanField(
        label=_("Also end the partnership as completed on this date"), required=False
    )

    class Meta:
        model = MovingOn
        fields = ["what_goes_public", "celebration", "handover", "lasting_outcomes", "completed_on"]
        widgets = {
            "what_goes_public": forms.Textarea(attrs={"rows": 3}),
            "celebration": forms.Textarea(attrs={"rows": 3}),
            "handover": forms.Textarea(attrs={"rows": 3}),
            "lasting_outcomes": forms.Textarea(attrs={"rows": 3}),
            "completed_on": DATE,
        }
