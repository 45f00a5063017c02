"""Outcomes: versioned metric definitions, figures per partnership and period, and the attribution
ledger of the keys behind each figure (files, revisions, Wikidata items, participants).

A roll-up above a partnership counts the distinct keys of its figures and adds the key-less
figures (hand-entered totals), one per source record (hub/outcomes/rollups.py says how).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.partnerships.models import Partnership


def plain_number(value) -> str:
    """A figure's value as people write it: 40, 12.5 (never 4E+1)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class MetricDefinitionQuerySet(models.QuerySet["MetricDefinition"]):
    def current(self) -> MetricDefinitionQuerySet:
        """The newest version of each metric."""
        newer = MetricDefinition.objects.filter(
            key=OuterRef("key"), version__gt=OuterRef("version")
        )
        return self.filter(~Exists(newer))


class MetricDefinition(models.Model):
    """One version of how a metric is measured. A changed method is a new row (a new version);
    figures keep pointing at the version they were measured with."""

    class Unit(models.TextChoices):
        PEOPLE = "people", _("people")
        PAGES = "pages", _("pages")
        FILES = "files", _("files")
        ITEMS = "items", _("items")
        VIEWS = "views", _("views")
        MONEY = "money", _("money")

    class KeyKind(models.TextChoices):
        USER = "user", _("global user name")
        PAGE = "page", _("page (wiki and title)")
        FILE = "file", _("Commons file")
        ITEM = "item", _("Wikidata item")
        REVISION = "revision", _("revision (wiki and revision id)")
        NONE = "", _("no keys (totals only)")

    key = models.SlugField(_("metric"), max_length=50)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    method = models.TextField(_("method"))
    exclusions = models.TextField(_("exclusions"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    key_kind = models.CharField(
        _("keys that identify what is counted"), max_length=10, choices=KeyKind.choices, blank=True
    )
    source_tool = models.CharField(_("source tool"), max_length=200, blank=True)
    sources = models.TextField(_("sources of this wording"), blank=True)
    confirmed = models.BooleanField(_("wording confirmed by a source"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MetricDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="outcomes_metric_key_version")
        ]

    def __str__(self) -> str:
        return gettext("%(name)s (v%(version)s)") % {"name": self.label, "version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("outcomes:definition", args=[self.key, self.version])

    @property
    def label(self) -> str:
        # Shipped names are marked for translation in hub/outcomes/definitions.py.
        return gettext(self.name)


class FigureQuerySet(models.QuerySet["Figure"]):
    def visible_to(self, user) -> FigureQuerySet:
        """The figures of the partnerships `user` may see."""
        return self.filter(partnership__in=Partnership.objects.visible_to(user).values("pk"))

    def editable_by(self, user) -> FigureQuerySet:
        return self.filter(partnership__in=Partnership.objects.editable_by(user).values("pk"))

    def public(self) -> FigureQuerySet:
        from hub.core.models import Visibility

        return self.filter(partnership__visibility=Visibility.PUBLIC)


class Figure(models.Model):
    """A measured value of one metric (definition version) for one partnership and period."""

    class Source(models.TextChoices):
        HAND = "hand", _("entered by hand")
        ASSERTED = "asserted", _("asserted by the organiser, not counted")
        COMMONS = "commons", _("Commons category, fetched")
        DASHBOARD = "dashboard", _("Programs & Events Dashboard CSV import")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="figures", verbose_name=_("partnership")
    )
    definition = models.ForeignKey(
        MetricDefinition,
        on_delete=models.PROTECT,
        related_name="figures",
        verbose_name=_("metric definition"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # What the source was: a Commons category and its wiki, a Dashboard course slug. Key-less
    # figures with the same source and reference count once in a roll-up.
    source_ref = models.CharField(_("source reference"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "definition__key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="outcomes_figure_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="outcomes_figure_value"),
        ]

    def __str__(self) -> str:
        return gettext("%(metric)s %(start)s–%(end)s: %(value)s") % {
            "metric": self.definition.label,
            "start": self.period_start,
            "end": self.period_end,
            "value": plain_number(self.value),
        }

    def get_absolute_url(self) -> str:
        return self.partnership.get_absolute_url() + "#outcomes"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": gettext("The period cannot end before it starts.")},
                code="period",
            )


class FigureKey(models.Model):
    """The attribution ledger: one thing a figure counts (a file, a revision, an item, a
    participant). A key may belong to several figures (a file two partnerships claim); a
    roll-up counts it once."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=10, choices=MetricDefinition.KeyKind.choices)
    key = models.CharField(max_length=400)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "kind", "key"], name="outcomes_figure_key")
        ]
        indexes = [models.Index(fields=["kind", "key"], name="outcomes_key_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
