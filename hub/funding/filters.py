"""Filters of the contribution and grant lists, shared by the pages and their exports.

Unknown or malformed values are ignored and reported as notices, never as an error page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import ChooserField, chooser_notices, unmatched
from hub.core.forms import WholeNumberField
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization
from hub.funding.models import Category, Grant, GrantQuerySet, InKindContributionQuerySet
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership


class _Filter(forms.Form):
    picks_as_links = True  # ambiguous choosers: links beside the results

    def __init__(self, data=None, *args: Any, user=None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else {}, *args, **kwargs)
        if isinstance(chooser := self.fields.get("partnership"), PartnershipField):
            # Only partnerships the viewer may see are matched, or suggested.
            chooser.queryset = Partnership.objects.visible_to(user or AnonymousUser())
        self.notices: list[str] = []
        self.values: dict[str, Any] = {}
        self.is_valid()
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            if isinstance(field, ChooserField):
                continue  # told below, by chooser_notices
            raw = (
                self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            )
            shown = ", ".join(str(v) for v in raw if v not in (None, ""))[:80]
            self.notices.append(
                str(_("Ignored the filter “%(label)s” = “%(value)s”: %(error)s"))
                % {
                    "label": field.label if field else name,
                    "value": shown,
                    "error": " ".join(str(e) for e in errors),
                }
            )
        self.notices += chooser_notices(self)
        self.values = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", [], False)
        }

    @property
    def is_filtered(self) -> bool:
        return any(name != "sort" for name in self.values)


def _organization(label):
    return OrganizationField(
        label=label,
        required=False,
        movement_only=True,
        queryset=Organization.objects.movement(),
        help_text=_("Type its name or short code."),
    )


def _partnership():
    return PartnershipField(
        label=_("Partnership"), required=False, help_text=_("Type a part of its title.")
    )


CONTRIBUTION_SORTS = {
    "-date": (_("Newest first"), ["-date", "-pk"]),
    "date": (_("Oldest first"), ["date", "pk"]),
    "-value": (_("Highest value first"), ["-value", "-pk"]),
}


class ContributionFilter(_Filter):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    organization = _organization(_("Receiving organization"))
    donor = forms.CharField(label=_("Donor"), required=False, max_length=200)
    partnership = _partnership()
    category = forms.MultipleChoiceField(
        label=_("Category"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    year = WholeNumberField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    confidential = forms.ChoiceField(
        label=_("Confidential"),
        choices=[("", _("Any")), ("yes", _("Only confidential")), ("no", _("Not confidential"))],
        required=False,
    )
    archived = forms.BooleanField(label=_("Show archived ones instead"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[(key, label) for key, (label, _o) in CONTRIBUTION_SORTS.items()],
        required=False,
    )

    def apply(self, qs: InKindContributionQuerySet, user) -> InKindContributionQuerySet:
        """Narrow `qs` (already scoped to what `user` may see) by the valid filters."""
        if unmatched(self):  # a name typed but not found: nothing, rather than everything
            return qs.none()
        v = self.values
        qs = qs.filter(archived=bool(v.get("archived")))
        if text := v.get("q"):
            qs = qs.filter(
                Q(description__icontains=text)
                | Q(donor_name__icontains=text)
                | Q(donor_organization__name__icontains=text)
                | Q(acknowledgement__icontains=text)
            )
        if org := v.get("organization"):
            qs = qs.filter(receiving_organization=org)
        if donor := v.get("donor"):
            qs = qs.filter(
                Q(donor_name__icontains=donor)
                | Q(donor_organization__name__icontains=donor)
                | Q(donor_organization__short_code__iexact=donor)
            )
        if partnership := v.get("partnership"):
            qs = qs.linked_to(user, partnership.pk)
        if categories := v.get("category"):
            qs = qs.filter(category__in=categories)
        if year := v.get("year"):
            qs = qs.in_year(year)
        if confidential := v.get("confidential"):
            qs = qs.filter(confidential=confidential == "yes")
        return qs

    def ordering(self) -> list[str]:
        return CONTRIBUTION_SORTS[self.values.get("sort", "-date")][1]


class GrantFilter(_Filter):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    organization = _organization(_("Recipient"))
    funder = forms.CharField(label=_("Funder"), required=False, max_length=200)
    partnership = _partnership()
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Grant.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    restricted = forms.ChoiceField(
        label=_("Restricted"),
        choices=[("", _("Any")), ("yes", _("Restricted")), ("no", _("Unrestricted"))],
        required=False,
    )
    year = WholeNumberField(
        label=_("Year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Grants whose period includes part of this year."),
    )

    def apply(self, qs: GrantQuerySet, user) -> GrantQuerySet:
        """Narrow `qs` (already scoped to what `user` may see) by the valid filters."""
        if unmatched(self):  # a name typed but not found: nothing, rather than everything
            return qs.none()
        v = self.values
        if text := v.get("q"):
            qs = qs.filter(
                Q(title__icontains=text)
                | Q(description__icontains=text)
                | Q(restriction__icontains=text)
            )
        if org := v.get("organization"):
            qs = qs.filter(recipient=org)
        if funder := v.get("funder"):
            qs = qs.filter(Q(funder__name__icontains=funder) | Q(funder__short_code__iexact=funder))
        if partnership := v.get("partnership"):
            qs = qs.linked_to(user, partnership.pk)
        if statuses := v.get("status"):
            qs = qs.filter(status__in=statuses)
        if restricted := v.get("restricted"):
            qs = qs.filter(restricted=restricted == "yes")
        if year := v.get("year"):
            qs = qs.filter(
                Q(period_start__isnull=True) | Q(period_start__lte=datetime.date(year, 12, 31))
            ).filter(Q(period_end__isnull=True) | Q(period_end__gte=datetime.date(year, 1, 1)))
        return qs

    def ordering(self) -> list[str]:
        return ["-period_start", "-pk"]
