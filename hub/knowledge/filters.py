"""The filters of the lesson list and the clinic's question list (by topic). Values a filter
cannot use are ignored, never an error page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hub.knowledge.choices import (
    GOAL_CHOICES,
    PARTNER_TYPE_CHOICES,
    STEP_CHOICES,
    Category,
    Facet,
)
from hub.knowledge.models import Lesson, Question


def any_choice(choices) -> list:
    return [("", _("Any")), *choices]


class TopicFilter(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    step = forms.ChoiceField(
        label=_("Lifecycle step"), choices=any_choice(STEP_CHOICES), required=False
    )
    goal = forms.ChoiceField(label=_("Goal"), choices=any_choice(GOAL_CHOICES), required=False)
    partner_type = forms.ChoiceField(
        label=_("Partner type"), choices=any_choice(PARTNER_TYPE_CHOICES), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=any_choice(settings.LANGUAGES), required=False
    )

    text_fields: tuple[str, ...] = ()

    def __init__(self, data=None):
        super().__init__(data or None)
        self.is_valid()

    @property
    def values(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}

    def apply(self, qs: QuerySet) -> QuerySet:
        values = self.values
        for facet, name in (
            (Facet.STEP, "step"),
            (Facet.GOAL, "goal"),
            (Facet.PARTNER_TYPE, "partner_type"),
        ):
            if name in values:
                qs = qs.filter(tags__facet=facet, tags__value=values[name])
        if "language" in values:
            qs = qs.filter(language=values["language"])
        if "q" in values:
            words = Q()
            for field in self.text_fields:
                words |= Q(**{f"{field}__icontains": values["q"]})
            qs = qs.filter(words)
        return qs


class LessonFilter(TopicFilter):
    category = forms.ChoiceField(
        label=_("Category"), choices=any_choice(Category.choices), required=False
    )
    kind = forms.ChoiceField(
        label=_("Good, bad or ugly"), choices=any_choice(Lesson.Kind.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=any_choice(Lesson.Status.choices), required=False
    )

    text_fields = ("title", "problem", "solution")

    def apply(self, qs: QuerySet) -> QuerySet:
        qs = super().apply(qs)
        for name in ("category", "kind", "status"):
            if name in self.values:
                qs = qs.filter(**{name: self.values[name]})
        return qs


class QuestionFilter(TopicFilter):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Unsolved")), ("solved", _("Solved")), ("all", _("All"))],
        required=False,
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: any_choice(countries), required=False
    )

    text_fields = ("title", "body")

    def apply(self, qs: QuerySet) -> QuerySet:
        qs = super().apply(qs)
        status = self.values.get("status", "open")
        if status in (Question.Status.OPEN, Question.Status.SOLVED):
            qs = qs.filter(status=status)
        if "country" in self.values:
            qs = qs.filter(country=self.values["country"])
        return qs
