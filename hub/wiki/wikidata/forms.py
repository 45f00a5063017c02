from django import forms
from django.utils.translation import gettext_lazy as _

from hub.wiki.wikidata.client import WikidataError, normalize_qid


class QidField(forms.CharField):
    """A Wikidata item as a person types it: Q42, q42 or the item's address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("Wikidata item"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalize_qid(value)
        except WikidataError as exc:
            raise forms.ValidationError(str(exc), code="qid") from exc


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search Wikidata"), max_length=250, required=False)


class ApplyForm(forms.Form):
    """Which of the item's facts to take; the page lists them beside the organization's own."""

    qid = QidField(widget=forms.HiddenInput)
    take = forms.MultipleChoiceField(
        label=_("Facts to take from Wikidata"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, changes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = list(changes)
        choices = [(change.name, change.label) for change in self.changes]
        self.fields["take"].choices = choices  # type: ignore[attr-defined]
        self.fields["take"].initial = [c.name for c in self.changes if c.proposed]


class PickForm(forms.Form):
    """A reviewer's choice: one of the candidates, or another item typed in."""

    choice = forms.ChoiceField(label=_("Item"), required=False, widget=forms.RadioSelect)
    other = QidField(label=_("Or another item"), required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            (c["qid"], f"{c['label']} ({c['qid']})") for c in candidates
        ]

    def clean(self):
        data = super().clean() or {}
        qid = data.get("other") or data.get("choice")
        if not qid and not self.errors:
            raise forms.ValidationError(
                _("Choose one of the items, or type another."), code="required"
            )
        data["qid"] = qid
        return data
