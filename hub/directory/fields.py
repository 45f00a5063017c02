"""The organization chooser: a form field that finds an organization from what a person types."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import ChooserField, ChooserInput, number_in, split_label
from hub.directory.models import Organization, OrganizationQuerySet


def organization_label(org: Organization) -> str:
    """What a person reads and may type back: 'Name (CODE)', else 'Name (Country)', else 'Name'."""
    return org.chooser_label


def find_organizations(qs: OrganizationQuerySet, text: str, limit: int = 8) -> list[Organization]:
    """The organizations `text` names, best match first: an id (old links), a short code or a
    Wikidata item, a label as suggested, an exact name or local name, else a part of one."""
    if (pk := number_in(text)) is not None:
        return list(qs.filter(pk=pk)[:1])
    coded = list(qs.filter(Q(short_code__iexact=text) | Q(wikidata_id__iexact=text))[:limit])
    if coded:
        return coded
    if parts := split_label(text):
        base, inner = parts
        same_name = qs.filter(Q(name__iexact=base) | Q(local_name__iexact=base))[:limit]
        wanted = text.casefold()
        exact = [
            o
            for o in same_name
            if organization_label(o).casefold() == wanted
            or (o.short_code or "").casefold() == inner.casefold()
        ]
        if exact:
            return exact
    named = list(qs.filter(Q(name__iexact=text) | Q(local_name__iexact=text))[:limit])
    return named or list(qs.matching(text)[:limit])


class OrganizationField(ChooserField):
    """An organization typed by name, local name, short code (WMAT) or Wikidata item (Q123)."""

    noun = _("organization")
    default_error_messages = {
        "unknown": _(
            "No organization matches “%(value)s”. Check the spelling, or type its short code "
            "or Wikidata item."
        ),
        "ambiguous": _("Several organizations match “%(value)s”. Which one did you mean?"),
        "not_movement": _("%(org)s is not a movement organization."),
    }

    def __init__(self, *, movement_only: bool = False, **kwargs):
        self.movement_only = movement_only
        kwargs.setdefault(
            "widget",
            ChooserInput(
                options_url="partnerships:organization_options",
                options_query="movement=1" if movement_only else "",
            ),
        )
        kwargs.setdefault("queryset", Organization.objects.all())
        super().__init__(**kwargs)

    def find(self, qs, text):
        return find_organizations(qs, text, self.limit)

    def label_of(self, obj):
        return organization_label(obj)

    def code_of(self, obj):
        return obj.short_code or ""

    def detail_of(self, obj):
        place = ", ".join(str(p) for p in (obj.city, obj.get_country_display()) if p)
        return " · ".join(str(p) for p in (obj.get_kind_display(), place) if p)

    def check_choice(self, obj):
        if self.movement_only and not obj.is_movement:
            raise forms.ValidationError(
                self.error_messages["not_movement"],
                code="not_movement",
                params={"org": organization_label(obj)},
            )
