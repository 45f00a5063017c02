"""The infographic's form: what it shows (an organization, an alliance or the movement, a year,
a currency). The other funding forms live in their sub-packages."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.core.forms import RecordChoiceField, WholeNumberField, parse_int, read_digits
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization


class _MovementOrganizationField(OrganizationField):
    """A typed organization (with suggestions) that also takes a bare id, as links carry it.

    A <select> of every movement organization cost most of a cached infographic page (about
    1,500 options rendered on each request), so the page uses the suggestion field instead.
    """

    def prepare_value(self, value):
        if isinstance(value, str) and (number := parse_int(value)) is not None:
            value = number
        return super().prepare_value(value)

    def to_python(self, value):
        text = str(value or "").strip()
        return super().to_python(f"#{text}" if read_digits(text) is not None else text)


class InfographicForm(forms.Form):
    """What the infographic shows: an organization, an alliance or the movement, and a year."""

    organization = _MovementOrganizationField(
        label=_("Organization"),
        movement_only=True,
        required=False,
        help_text=_("Type a name, short code or Wikidata item and pick a suggestion."),
    )
    alliance = RecordChoiceField(
        label=_("…or an alliance or hub"),
        queryset=Organization.objects.alliances().order_by("name"),
        required=False,
        help_text=_("Leave both empty for the whole movement."),
    )
    year = WholeNumberField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    currency = forms.ChoiceField(label=_("Reporting currency"), choices=[], required=False)

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in currencies]

    def clean_year(self):
        # Empty: the view opens on the latest year with data for the viewer.
        return self.cleaned_data.get("year")


def default_year() -> int:
    return (timezone.localdate() - datetime.timedelta(days=365)).year
