"""The resource form and the library's filters: validation only (the single-row rules are the
model's); writes go through hub.knowledge.resources.services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.core.forms import VersionedForm
from hub.core.models import Visibility
from hub.directory.models import Organization
from hub.knowledge.filters import TopicFilter, any_choice
from hub.knowledge.forms import OrganizationChoice, topic_fields, topic_initial
from hub.knowledge.models import writes_for
from hub.knowledge.resources.models import Licence, Resource

FORM_FIELDS = (
    "title",
    "kind",
    "description",
    "url",
    "language",
    "licence",
    "review_by",
    "visibility",
)
REVIEW_AFTER = timedelta(days=365)


class ResourceForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    organization = OrganizationChoice(label=_("Shared by"), queryset=Organization.objects.none())
    description = forms.CharField(
        label=_("What it is for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When to use it and what to watch out for."),
    )
    url = Resource._meta.get_field("url").formfield(
        label=_("Address"),
        required=False,
        help_text=_("Where it is, on the hub or elsewhere. An address or a file is needed."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, ODT, DOCX, PNG or JPEG. A new file replaces the current one."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    review_by = forms.DateField(
        label=_("Review by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When someone should check it is still right and reachable."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args: Any, user, instance: Resource | None = None, **kwargs: Any):
        if "initial" not in kwargs:
            if instance is not None:
                initial = {name: getattr(instance, name) for name in FORM_FIELDS}
                initial["organization"] = instance.organization_id
                initial.update(topic_initial(instance))
                initial["version"] = instance.version
            else:
                initial = {"review_by": timezone.localdate() + REVIEW_AFTER}
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["organization"].queryset = writes_for(user).order_by("name")  # type: ignore[attr-defined]
        self.fields.update(topic_fields())

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        has_file = data and (data.get("file") or (self.instance and self.instance.file))
        if data is not None and not data.get("url") and not has_file and "url" not in self.errors:
            self.add_error("url", _("Give an address or upload a file."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("file") is None:
            data.pop("file", None)
        return data


class ResourceFilter(TopicFilter):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=any_choice(Resource.Kind.choices), required=False
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=any_choice(Licence.choices), required=False
    )
    review = forms.ChoiceField(
        label=_("Review"),
        choices=[("", _("Any")), ("due", _("Due for review"))],
        required=False,
    )

    text_fields = ("title", "description")

    def apply(self, qs: QuerySet) -> QuerySet:
        qs = super().apply(qs)
        for name in ("kind", "licence"):
            if name in self.values:
                qs = qs.filter(**{name: self.values[name]})
        if self.values.get("review") == "due":
            qs = qs.filter(review_by__lte=timezone.localdate())
        return qs
