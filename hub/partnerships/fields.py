"""The partnership chooser: a partnership typed by its title, among those the viewer may see."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from hub.core.choosers import ChooserField, ChooserInput, number_in, split_label
from hub.partnerships.models import Partnership, PartnershipQuerySet


def partnership_label(partnership: Partnership) -> str:
    """'Title (LEAD, 2024)': the lead's short code or name and the start year tell titles apart."""
    return partnership.chooser_label


def find_partnerships(qs: PartnershipQuerySet, text: str, limit: int = 8) -> list[Partnership]:
    """The partnerships `text` names: an id (old links), a label as suggested, an exact title,
    else a part of a title. `qs` is already what the viewer may see."""
    qs = qs.select_related("lead").order_by("title", "pk")
    if (pk := number_in(text)) is not None:
        return list(qs.filter(pk=pk)[:1])
    if parts := split_label(text):
        wanted = text.casefold()
        exact = [
            p
            for p in qs.filter(title__iexact=parts[0])[:limit]
            if partnership_label(p).casefold() == wanted
        ]
        if exact:
            return exact
    titled = list(qs.filter(title__iexact=text)[:limit])
    return titled or list(qs.filter(title__icontains=text)[:limit])


class PartnershipField(ChooserField):
    """A partnership typed by title; only those in `queryset` (set it to what the viewer may see)."""

    noun = _("partnership")
    default_error_messages = {
        "unknown": _(
            "No partnership you may see matches “%(value)s”. Check the spelling or type a part "
            "of its title."
        ),
        "ambiguous": _("Several partnerships match “%(value)s”. Which one did you mean?"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ChooserInput(options_url="partnerships:partnership_options"))
        kwargs.setdefault("queryset", Partnership.objects.visible_to(AnonymousUser()))
        super().__init__(**kwargs)

    def find(self, qs, text):
        return find_partnerships(qs, text, self.limit)

    def label_of(self, obj):
        return partnership_label(obj)

    def detail_of(self, obj):
        return str(obj.get_status_display())
