"""Forms of the outcomes pages: validation only; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.outcomes.commons import COMMONS
from hub.outcomes.models import Figure, MetricDefinition


def _date(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2001,
        max_value=2100,
        help_text=_("Only figures whose period overlaps this year."),
    )


class PeriodForm(forms.Form):
    period_start = _date(_("Period start"))
    period_end = _date(_("Period end"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class DefinitionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class FigureForm(PeriodForm):
    definition = DefinitionChoice(
        label=_("Metric"), queryset=MetricDefinition.objects.none(), empty_label=None
    )
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("Leave empty to count the keys below."),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (Figure.Source.HAND, Figure.Source.HAND.label),
            (Figure.Source.ASSERTED, Figure.Source.ASSERTED.label),
        ],
    )
    keys = forms.CharField(
        label=_("Keys: what is counted, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "File titles (File:Name.jpg), global user names, Wikidata items (Q42), pages "
            "(enwiki:Title) or revisions (enwiki:12345), as the metric asks. Keys make "
            "roll-ups count each thing once."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["definition", "period_start", "period_end", "value", "source", "keys", "note"]

    def __init__(self, *args, figure: Figure | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = MetricDefinition.objects.current()
        if figure is not None:
            choices = MetricDefinition.objects.filter(
                pk__in=[*choices.values_list("pk", flat=True), figure.definition_id]
            )
            if figure.source not in (Figure.Source.HAND, Figure.Source.ASSERTED):
                self.fields["source"].choices = [  # type: ignore[attr-defined]
                    (figure.source, figure.get_source_display())
                ]
        self.fields["definition"].queryset = choices.order_by("key", "-version")  # type: ignore[attr-defined]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["keys"] = data["keys"].splitlines()
        return data


class CommonsForm(PeriodForm):
    category = forms.CharField(
        label=_("Commons category"),
        max_length=255,
        help_text=_("Its direct file members are counted; files in subcategories are not."),
    )
    wiki = forms.CharField(label=_("Wiki"), max_length=255, initial=COMMONS)

    field_order = ["category", "wiki", "period_start", "period_end"]


class DashboardForm(PeriodForm):
    file = forms.FileField(
        label=_("Dashboard CSV export"),
        help_text=_(
            "The course statistics CSV of the Programs & Events Dashboard. Dates of the "
            "period are used for rows without start_date and end_date."
        ),
    )
    field_order = ["file", "period_start", "period_end"]
