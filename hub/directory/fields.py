"""A form field that finds an organization from what a person types, with or without JavaScript."""

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from hub.core.forms import parse_int
from hub.directory.models import Organization

_ID_SUFFIX = re.compile(r"#(\d+)\)?\s*$")


def organization_label(org: Organization) -> str:
    """The text an option shows and the field accepts back: 'Name (CODE) #id'."""
    return f"{org} #{org.pk}"


class OrganizationField(forms.Field):
    """Accepts 'Name (CODE) #12', '#12', a short code, a Wikidata item or an exact name."""

    default_error_messages = {
        "unknown": _("No organization matches '%(value)s'. Pick one from the suggestions."),
        "ambiguous": _(
            "Several organizations match '%(value)s': %(names)s. Pick one from the suggestions."
        ),
        "not_movement": _("%(org)s is not a movement organization."),
    }

    def __init__(self, *, movement_only: bool = False, **kwargs):
        self.movement_only = movement_only
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 300}))
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "organization-options", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return organization_label(value)
        if isinstance(value, int):
            org = Organization.objects.filter(pk=value).first()
            return organization_label(org) if org else ""
        return value

    validate_no_null_characters = ProhibitNullCharactersValidator()  # PostgreSQL refuses them

    def to_python(self, value):
        text = str(value or "").strip()[:300]
        if not text:
            return None
        self.validate_no_null_characters(text)
        match = _ID_SUFFIX.search(text)
        candidates = Organization.objects.all()
        if match:
            pk = parse_int(match.group(1))
            found = list(candidates.filter(pk=pk)[:1]) if pk else []
        else:
            found = list(candidates.filter(short_code__iexact=text)[:1])
            found = found or list(candidates.filter(wikidata_id__iexact=text)[:1])
            found = found or list(candidates.filter(name__iexact=text)[:6])
        if not found:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": text, "names": ", ".join(organization_label(o) for o in found)},
            )
        org = found[0]
        if self.movement_only and not org.is_movement:
            raise forms.ValidationError(
                self.error_messages["not_movement"], code="not_movement", params={"org": org}
            )
        return org
