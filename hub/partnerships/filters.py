"""The registry's filters, shared by the list page, the mapping pages, exports and the API.

Unknown or malformed values are ignored and reported as notices, never as an error page.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import ChooserField, chooser_notices, unmatched
from hub.core.forms import RecordChoiceField, WholeNumberField
from hub.core.models import Visibility
from hub.core.regions import Region, countries_in, country_choices
from hub.directory.fields import OrganizationField
from hub.directory.models import AllianceMembership, Organization
from hub.partnerships import extensions
from hub.partnerships.models import (
    GOAL_FIELDS,
    Goal,
    Participant,
    Partnership,
    PartnershipQuerySet,
    Theme,
    WikimediaProject,
)

SORTS = {
    "-start": (_("Newest start first"), [F("start_date").desc(nulls_last=True), "-pk"]),
    "start": (_("Oldest start first"), [F("start_date").asc(nulls_last=True), "pk"]),
    "title": (_("Title"), ["title", "pk"]),
    "-updated": (_("Recently changed"), ["-updated_at", "-pk"]),
}


class PartnershipFilter(forms.Form):
    picks_as_links = True  # ambiguous choosers: links beside the results

    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    goal = forms.MultipleChoiceField(
        label=_("Goals"), choices=Goal.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    goal_match = forms.ChoiceField(
        label=_("Goals match"),
        choices=[
            ("any", _("any of them")),
            ("all", _("all of them")),
            ("exact", _("exactly these")),
        ],
        required=False,
    )
    structure = forms.ChoiceField(
        label=_("Structure"),
        choices=[("", _("Any")), *Partnership.Structure.choices],
        required=False,
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("Any")), *Partnership.Direction.choices],
        required=False,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Partnership.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.MultipleChoiceField(
        label=_("Scope"),
        choices=Partnership.Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organization = OrganizationField(
        label=_("Organization"),
        required=False,
        help_text=_("Partnerships this organization takes part in: type its name or short code."),
    )
    members = forms.BooleanField(label=_("…or its members (alliances and hubs)"), required=False)
    alliance = RecordChoiceField(
        label=_("Alliance or hub"),
        queryset=Organization.objects.alliances(),
        required=False,
        empty_label=_("Any"),
        help_text=_("Partnerships of its member organizations."),
    )
    # Callable choices: listed (and sorted) in the reader's language when rendered, and not copied
    # with every form instance (about 250 countries).
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Any")), *Region.choices],
        required=False,
        help_text=_("A participant is based in this world region."),
    )
    partner_kind = forms.ChoiceField(
        label=_("Type of external organization"),
        choices=[
            ("", _("Any")),
            *[
                (k, label)
                for k, label in Organization.Kind.choices
                if k not in Organization.MOVEMENT_KINDS
            ],
        ],
        required=False,
        help_text=_("A participant is an organization of this type."),
    )
    theme = forms.CharField(label=_("Theme"), required=False, max_length=80)
    project = forms.CharField(label=_("Wikimedia project"), required=False, max_length=30)
    year_from = WholeNumberField(
        label=_("Active from year"), required=False, min_value=1990, max_value=2100
    )
    year_to = WholeNumberField(
        label=_("Active to year"), required=False, min_value=1990, max_value=2100
    )
    started = WholeNumberField(
        label=_("Started in year"), required=False, min_value=1990, max_value=2100
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=[("", _("Any")), *Visibility.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        required=False,
    )

    def __init__(self, data=None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data if data is not None else {}, *args, **kwargs)
        extensions.add_fields(self)
        self.notices: list[str] = []
        self.values: dict[str, Any] = {}
        self._read()

    def _read(self) -> None:
        self.is_valid()
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            if isinstance(field, ChooserField):
                continue  # told below, by chooser_notices
            label = field.label if field else name
            key = self.add_prefix(name)
            raw = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            shown = ", ".join(str(v) for v in raw if v not in (None, ""))[:80]
            self.notices.append(
                _("Ignored the filter “%(label)s” = “%(value)s”: %(error)s")
                % {"label": label, "value": shown, "error": " ".join(str(e) for e in errors)}
            )
        self.notices += chooser_notices(self)
        self.values = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", [], False)
        }
        first, last = self.values.get("year_from"), self.values.get("year_to")
        if first and last and first > last:
            self.values["year_from"], self.values["year_to"] = last, first

    @property
    def is_filtered(self) -> bool:
        return any(name != "sort" for name in self.values)

    def apply(self, qs: PartnershipQuerySet) -> PartnershipQuerySet:
        """Narrow `qs` (already scoped to what the viewer may see) by the valid filters."""
        if unmatched(self):
            # An organization typed but not found (or not yet told apart): nothing, rather than
            # every partnership as if no organization had been asked for.
            return qs.none()
        v = self.values
        if text := v.get("q"):
            qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text))
        if goals := v.get("goal"):
            match = v.get("goal_match", "any")
            if match == "any":
                cond = Q()
                for goal in goals:
                    cond |= Q(**{GOAL_FIELDS[goal]: True})
                qs = qs.filter(cond)
            else:
                qs = qs.filter(**{GOAL_FIELDS[goal]: True for goal in goals})
                if match == "exact":
                    qs = qs.filter(**{f: False for g, f in GOAL_FIELDS.items() if g not in goals})
        for name in ("structure", "direction", "visibility"):
            if value := v.get(name):
                qs = qs.filter(**{name: value})
        if statuses := v.get("status"):
            qs = qs.filter(status__in=statuses)
        if scopes := v.get("scope"):
            qs = qs.filter(scope__in=scopes)
        if org := v.get("organization"):
            ids = [org.pk]
            if v.get("members") and org.is_alliance:
                ids += list(
                    AllianceMembership.objects.filter(alliance=org).values_list(
                        "member_id", flat=True
                    )
                )
            qs = qs.with_organization(ids)
        if alliance := v.get("alliance"):
            members = AllianceMembership.objects.filter(alliance=alliance).values("member_id")
            qs = qs.filter(
                Exists(
                    Participant.objects.filter(
                        partnership=OuterRef("pk"), organization_id__in=members
                    )
                )
            )
        if country := v.get("country"):
            qs = qs.filter(
                Exists(
                    Participant.objects.filter(
                        partnership=OuterRef("pk"), organization__country=country
                    )
                )
            )
        if region := v.get("region"):
            qs = qs.filter(
                Exists(
                    Participant.objects.filter(
                        partnership=OuterRef("pk"), organization__country__in=countries_in(region)
                    )
                )
            )
        if kind := v.get("partner_kind"):
            qs = qs.filter(
                Exists(
                    Participant.objects.filter(partnership=OuterRef("pk"), organization__kind=kind)
                )
            )
        # Themes and projects are looked up first: with the id in the query, PostgreSQL plans with
        # that theme's own frequency (a popular theme walks the sorted index; a rare one joins).
        if theme := v.get("theme"):
            theme_id = Theme.objects.filter(slug=theme).values_list("pk", flat=True).first()
            qs = qs.filter(themes=theme_id) if theme_id else qs.none()
        if project := v.get("project"):
            project_id = (
                WikimediaProject.objects.filter(code=project).values_list("pk", flat=True).first()
            )
            qs = qs.filter(projects=project_id) if project_id else qs.none()
        first, last = v.get("year_from"), v.get("year_to")
        if first or last:
            qs = qs.active_in_years(first or 1990, last or datetime.date.max.year)
        if year := v.get("started"):
            qs = qs.filter(
                start_date__gte=datetime.date(year, 1, 1),
                start_date__lte=datetime.date(year, 12, 31),
            )
        return qs

    def ordering(self) -> list:
        order: list = SORTS[self.values.get("sort", "-start")][1]  # type: ignore[assignment]
        return order
