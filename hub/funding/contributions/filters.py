"""The contribution list's filters, shared by the page, its exports and the API."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import unmatched
from hub.core.forms import WholeNumberField
from hub.funding.choices import Category
from hub.funding.contributions.models import InKindContributionQuerySet
from hub.funding.filters import ListFilter, organization_filter, partnership_filter

CONTRIBUTION_SORTS = {
    "-date": (_("Newest first"), ["-date", "-pk"]),
    "date": (_("Oldest first"), ["date", "pk"]),
    "-value": (_("Highest value first"), ["-value", "-pk"]),
}


class ContributionFilter(ListFilter):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    organization = organization_filter(_("Receiving organization"))
    donor = forms.CharField(label=_("Donor"), required=False, max_length=200)
    partnership = partnership_filter()
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
