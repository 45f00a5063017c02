"""Figures through their services: permission, keys, bad input, history."""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hub.core.models import HistoryEntry
from hub.outcomes import services
from hub.outcomes.factories import definition, make_figure
from hub.outcomes.models import Figure, FigureKey, MetricDefinition
from hub.partnerships.factories import make_partnership

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)


@pytest.fixture
def partnership(affiliate, editor):
    return make_partnership(lead=affiliate, actor=editor, title="Trams")


def test_shipped_definitions_are_there_once_each(db):
    keys = set(MetricDefinition.objects.current().values_list("key", flat=True))
    assert keys == {
        "participants",
        "pages_created",
        "pages_improved",
        "commons_uploads",
        "files_in_use",
        "wikidata_items_created",
        "wikidata_items_improved",
        "page_views",
        "people_reached",
        "funds_raised",
    }
    assert not MetricDefinition.objects.get(key="people_reached").confirmed


def test_a_figure_without_value_counts_its_distinct_keys(partnership, editor):
    figure = services.figure_create(
        actor=editor,
        partnership=partnership,
        definition=definition("commons_uploads"),
        period_start=START,
        period_end=END,
        keys=["File:Tram_1.jpg", "tram 1.jpg", "Image:Tram 2.jpg", "  "],
    )
    assert figure.value == 2
    assert sorted(figure.keys.values_list("key", flat=True)) == [
        "File:Tram 1.jpg",
        "File:Tram 2.jpg",
    ]
    entry = HistoryEntry.objects.get(object_id=figure.pk, content_type__model="figure")
    assert entry.action == "create"
    assert entry.changes["keys"] == [None, 2]


def test_a_viewer_or_outsider_cannot_record_a_figure(partnership, viewer, outsider):
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            make_figure(partnership=partnership, metric="people_reached", actor=actor, value=5)
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    ("metric", "keys", "message"),
    [
        ("wikidata_items_created", ["Q42", "Item 7"], "'Item 7' is not a Wikidata item id"),
        ("pages_created", ["Tram"], "needs its wiki first"),
        ("people_reached", ["Alice"], "takes no keys"),
    ],
)
def test_a_bad_key_is_named_and_nothing_is_written(partnership, editor, metric, keys, message):
    with pytest.raises(ValidationError) as error:
        make_figure(partnership=partnership, metric=metric, actor=editor, keys=keys, value=1)
    assert message in " ".join(error.value.message_dict["keys"])
    assert not Figure.objects.exists()
    assert not FigureKey.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(partnership, editor):
    with pytest.raises(ValidationError) as error:
        make_figure(
            partnership=partnership,
            metric="people_reached",
            actor=editor,
            value=5,
            period_start=END,
            period_end=START,
        )
    assert "period_end" in error.value.message_dict


def test_update_replaces_keys_and_records_the_change(partnership, editor, viewer):
    figure = make_figure(partnership=partnership, metric="participants", actor=editor, keys=["A"])
    figure = services.figure_update(actor=editor, figure=figure, keys=["Alice", "bob"], value=None)
    assert figure.value == 2
    assert set(figure.keys.values_list("key", flat=True)) == {"Alice", "Bob"}
    change = HistoryEntry.objects.get(object_id=figure.pk, action="change")
    assert change.changes["keys"] == [1, 2]
    with pytest.raises(PermissionDenied):
        services.figure_update(actor=viewer, figure=figure, value=decimal.Decimal(9))


def test_delete_removes_figure_and_keys(partnership, editor):
    figure = make_figure(partnership=partnership, metric="participants", actor=editor, keys=["A"])
    pk = figure.pk
    services.figure_delete(actor=editor, figure=figure)
    assert not Figure.objects.exists()
    assert not FigureKey.objects.exists()
    assert HistoryEntry.objects.filter(object_id=pk, action="delete").exists()


def test_figures_of_a_private_partnership_are_seen_by_its_members_only(
    affiliate, editor, viewer, outsider, anonymous
):
    private = make_partnership(lead=affiliate, actor=editor, visibility="private")
    figure = make_figure(partnership=private, metric="people_reached", actor=editor, value=3)
    assert list(Figure.objects.visible_to(viewer)) == [figure]
    assert not Figure.objects.visible_to(outsider).exists()
    assert not Figure.objects.visible_to(anonymous).exists()
