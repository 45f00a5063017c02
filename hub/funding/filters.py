"""What the contribution and grant filters share (contributions/filters.py, grants/filters.py).

Unknown or malformed values are ignored and reported as notices, never as an error page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import ChooserField, chooser_notices
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership


class ListFilter(forms.Form):
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


def organization_filter(label):
    return OrganizationField(
        label=label,
        required=False,
        movement_only=True,
        queryset=Organization.objects.movement(),
        help_text=_("Type its name or short code."),
    )


def partnership_filter():
    return PartnershipField(
        label=_("Partnership"), required=False, help_text=_("Type a part of its title.")
    )
