"""The lesson, endorsement, clinic question and answer forms: validation only (the single-row
rules are the models'); writes go through hub.knowledge.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hub.core.forms import VersionedForm
from hub.core.models import Visibility
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization
from hub.knowledge.choices import GOAL_CHOICES, PARTNER_TYPE_CHOICES, STEP_CHOICES, Category
from hub.knowledge.models import Lesson, writes_for
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership

ORGANIZATION_SLOTS = 3
TOPIC_FIELDS = ("steps", "goals", "partner_types")


def topic_fields() -> dict[str, forms.Field]:
    return {
        "steps": forms.MultipleChoiceField(
            label=_("Lifecycle steps"),
            choices=STEP_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "goals": forms.MultipleChoiceField(
            label=_("Goals"),
            choices=GOAL_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "partner_types": forms.MultipleChoiceField(
            label=_("Partner types"),
            choices=PARTNER_TYPE_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
    }


def topic_initial(owner) -> dict[str, list[str]]:
    names = {"step": "steps", "goal": "goals", "partner_type": "partner_types"}
    found: dict[str, list[str]] = {name: [] for name in TOPIC_FIELDS}
    for tag in owner.tags.all():
        found[names[tag.facet]].append(tag.value)
    return found


LESSON_FORM_FIELDS = (
    "title",
    "kind",
    "category",
    "problem",
    "solution",
    "things_to_consider",
    "when_to_use",
    "see_also",
    "status",
    "review_by",
    "language",
    "visibility",
)


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LessonForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    organization = OrganizationChoice(label=_("Written for"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(
        label=_("Good, bad or ugly"),
        choices=[("", _("Not said")), *Lesson.Kind.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, initial=Category.PARTNERSHIPS
    )
    problem = forms.CharField(
        label=_("What problem does this solve?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    solution = forms.CharField(
        label=_("What is the solution?"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    things_to_consider = forms.CharField(
        label=_("Things to consider"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    when_to_use = forms.CharField(
        label=_("When to use"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    see_also = forms.CharField(
        label=_("See also"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Related lessons, pages and links."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Lesson.Status.choices)
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Needed when the lesson needs review."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Lesson.objects.none(),
        required=False,
        help_text=_("The original lesson, when this one is its translation."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships"),
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partnerships of your organizations the lesson comes from."),
    )

    def __init__(self, *args: Any, user, instance: Lesson | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in LESSON_FORM_FIELDS}
            initial["organization"] = instance.organization_id
            initial["translation_of"] = instance.translation_of_id
            initial["partnerships"] = list(
                instance.partnerships.visible_to(user).values_list("pk", flat=True)
            )
            for n, org in enumerate(instance.organizations.all()[:ORGANIZATION_SLOTS], start=1):
                initial[f"organization_{n}"] = org
            initial.update(topic_initial(instance))
            initial["version"] = instance.version
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user
        self.fields["organization"].queryset = writes_for(user).order_by("name")  # type: ignore[attr-defined]
        originals = Lesson.objects.visible_to(user).filter(translation_of__isnull=True)
        if instance is not None:
            originals = originals.exclude(pk=instance.pk)
        self.fields["translation_of"].queryset = originals.order_by("title")  # type: ignore[attr-defined]
        mine = Organization.objects.member_of(user).values("pk")
        offered = Q(pk__in=Partnership.objects.with_organization(mine).values("pk"))
        if instance is not None:
            offered |= Q(pk__in=instance.partnerships.values("pk"))
        self.fields["partnerships"].queryset = (  # type: ignore[attr-defined]
            Partnership.objects.visible_to(user).filter(offered).order_by("title")
        )
        for n in range(1, ORGANIZATION_SLOTS + 1):
            self.fields[f"organization_{n}"] = OrganizationField(
                label=_("Organization it is about (%(n)s)") % {"n": n}, required=False
            )
        self.fields.update(topic_fields())

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("status") == Lesson.Status.NEEDS_REVIEW and not data.get("review_by"):
            self.add_error("review_by", _("Give the date by which it needs review."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        organizations = []
        for n in range(1, ORGANIZATION_SLOTS + 1):
            org = data.pop(f"organization_{n}", None)
            if org is not None and org not in organizations:
                organizations.append(org)
        data["organizations"] = organizations
        partnerships = list(data["partnerships"])
        if self.instance is not None:
            # Links to partnerships this editor may not see are kept, never lost.
            hidden = self.instance.partnerships.exclude(
                pk__in=Partnership.objects.visible_to(self.user).values("pk")
            )
            partnerships += list(hidden)
        data["partnerships"] = partnerships
        return data


class EndorsementForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How it helped you, in a sentence or two."),
    )

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["partnership"] = PartnershipField(
            label=_("Used in partnership"),
            required=False,
            queryset=Partnership.objects.visible_to(user),
            help_text=_("Optional: a partnership where you used it. Type a part of its title."),
        )


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=200)
    body = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you planned, what is not working, what you tried."),
    )
    organization = OrganizationChoice(label=_("Asked for"), queryset=Organization.objects.none())
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *countries], required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.MOVEMENT
    )

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writes_for(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["partnership"] = PartnershipField(
            label=_("Partnership"),
            required=False,
            queryset=Partnership.objects.visible_to(user),
            help_text=_("Optional: the partnership it is about. Type a part of its title."),
        )
        self.fields.update(topic_fields())

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))


class SolvedForm(forms.Form):
    answer = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
