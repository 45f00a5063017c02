"""The assessment form: validation only; writes go through hub.alliances.assessments.services.

One plain form for the whole rubric: per item a level (radio buttons, "Don't know" first), a
comment and evidence (addresses of hub pages, one a line). It works without JavaScript.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.alliances.assessments import evidence, rubric
from hub.alliances.assessments.models import Assessment
from hub.core.forms import RecordChoiceField, VersionedForm

LEVEL_CHOICES = [("", rubric.DONT_KNOW), *[(str(n), label) for n, label in rubric.LEVELS.items()]]


class AssessmentForm(VersionedForm):
    organization = RecordChoiceField(
        label=_("On behalf of"),
        queryset=None,
        empty_label=None,
        help_text=_("The alliance or the member organization you assess for."),
    )
    assessed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sharing = forms.ChoiceField(label=_("Shared with"), choices=Assessment.Sharing.choices)
    note = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        user,
        organizations,
        instance: Assessment | None = None,
        evidence_text: dict[str, str] | None = None,
        host: str = "",
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.host = host
        self.instance = instance
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial.update(
                organization=instance.organization_id,
                assessed_on=instance.assessed_on,
                sharing=instance.sharing,
                note=instance.note,
                version=instance.version,
            )
            for score in instance.scores.all():
                initial[f"level_{score.item}"] = "" if score.level is None else str(score.level)
                initial[f"comment_{score.item}"] = score.comment
            initial.update({f"evidence_{k}": v for k, v in (evidence_text or {}).items()})
        else:
            initial.setdefault("assessed_on", timezone.localdate())
            initial.setdefault("sharing", Assessment.Sharing.ALLIANCE)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        for item in rubric.ITEMS:
            self.fields[f"level_{item.key}"] = forms.ChoiceField(
                label=item.label,
                choices=LEVEL_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.description,
            )
            self.fields[f"comment_{item.key}"] = forms.CharField(
                label=_("Comment on “%(item)s”") % {"item": item.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{item.key}"] = forms.CharField(
                label=_("Evidence for “%(item)s”") % {"item": item.label},
                required=False,
                strip=False,  # the line numbers of an error are those the person sees
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Addresses of meetings, partnerships, grants or lessons in the hub, one a line."
                ),
            )
        if not self.is_bound and instance is None:
            for item in rubric.ITEMS:
                self.initial.setdefault(f"level_{item.key}", "")

    def parts(self) -> list[dict[str, Any]]:
        """The rubric's parts with each item's three bound fields, for the template."""
        return [
            {
                "key": part,
                "label": label,
                "items": [
                    {
                        "item": item,
                        "level": self[f"level_{item.key}"],
                        "comment": self[f"comment_{item.key}"],
                        "evidence": self[f"evidence_{item.key}"],
                    }
                    for item in rubric.items_of(part)
                ],
            }
            for part, label in rubric.PARTS.items()
        ]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        for item in rubric.ITEMS:
            name = f"evidence_{item.key}"
            text = data.get(name) or ""
            try:
                data[name] = evidence.parse(self.user, text, self.host)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        scores = {
            item.key: {
                "level": int(data[f"level_{item.key}"]) if data.get(f"level_{item.key}") else None,
                "comment": data.get(f"comment_{item.key}", ""),
                "evidence": data.get(f"evidence_{item.key}") or [],
            }
            for item in rubric.ITEMS
        }
        return {
            "organization": data["organization"],
            "assessed_on": data["assessed_on"],
            "sharing": data["sharing"],
            "note": data.get("note", ""),
            "scores": scores,
        }
