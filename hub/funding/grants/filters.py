"""The grant list's filters, shared by the page, its exports and the API."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import unmatched
from hub.core.forms import WholeNumberField
from hub.funding.filters import ListFilter, organization_filter, partnership_filter
from hub.funding.grants.models import Grant, GrantQuerySet


class GrantFilter(ListFilter):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    organization = organization_filter(_("Recipient"))
    funder = forms.CharField(label=_("Funder"), required=False, max_length=200)
    partnership = partnership_filter()
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
