"""The registry scenarios' own code at a tiny size: the partnerships file, its floor and the child's
measurement. Speed is never asserted (that is `make bench`'s job), only what is written and read."""

import csv
from collections import Counter

import pytest

from bench.generate import SIZES, Generator
from bench.scenarios import all_scenarios
from bench.scenarios.files import _receiver
from bench.scenarios.records import (
    HEADER,
    NOT_YET,
    child_import,
    floor_import_partnerships,
    hub_import,
    make_partnerships_file,
    respell,
)
from hub.core.exporting import split_items
from hub.directory.matching import name_key
from hub.directory.models import Organization
from hub.partnerships.exporting import PARTNERSHIP_COLUMNS, link_items, partner_items
from hub.partnerships.models import Participant, Partnership, PartnershipLink

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bench")]
ROWS = 304  # a multiple of 8: exactly two partners a row


@pytest.fixture
def dataset():
    Generator(SIZES["XS"]).run()
    organization, _actor = _receiver()
    return organization


@pytest.fixture
def path(dataset, tmp_path):
    return make_partnerships_file(tmp_path, ROWS, dataset)


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def test_respellings_are_the_same_name_to_the_directory():
    for name in ("Musée Göteborg museum 12", "Bibliothèque Wiki library 3"):
        spellings = {respell(name, how) for how in range(4)}
        assert len(spellings) == 4
        assert {name_key(s) for s in spellings} == {name_key(name)}


def test_file_has_the_registry_columns_and_three_participations_a_row(dataset, path):
    header, rows = _rows(path)
    exported = [column.header for column in PARTNERSHIP_COLUMNS]
    assert header == HEADER
    assert set(header) == set(exported) - {"id"}  # the hub's number is not needed to import
    assert len(rows) == ROWS
    lead = dataset.short_code or dataset.name
    assert {row["lead"] for row in rows} == {lead}
    partners = [partner_items(row["partners"]) for row in rows]
    assert sum(len(p) for p in partners) + ROWS == 3 * ROWS
    names = [name for row in partners for name, _role in row]
    directory = Counter(name_key(n) for n in Organization.objects.values_list("name", flat=True))
    exact = set(Organization.objects.values_list("name", flat=True))
    respelled = [n for n in names if n not in exact and directory[name_key(n)] == 1]
    new = [n for n in names if directory[name_key(n)] == 0]
    assert respelled, "some partners are spelled differently from the directory"
    assert new, "some partners are not in the directory"
    assert len(new) < len(names) / 10
    # A partner named twice in one row would be one participation, not two.
    assert all(len({name_key(n) for n, _r in row}) == len(row) for row in partners)
    assert any(link_items(row["links"]) for row in rows)
    assert all(
        row["structure"] == "complex" for row, p in zip(rows, partners, strict=True) if len(p) > 1
    )


def test_floor_inserts_what_the_file_says(dataset, path):
    _header, rows = _rows(path)
    before = set(Partnership.objects.values_list("pk", flat=True))
    organizations = Organization.objects.count()
    known = {name_key(n) for n in Organization.objects.values_list("name", flat=True)}

    assert floor_import_partnerships(str(path), dataset) == ROWS

    created = Partnership.objects.exclude(pk__in=before)
    assert created.count() == ROWS
    assert Participant.objects.filter(partnership__in=created).count() == 3 * ROWS
    by_title = {p.title: p for p in created.prefetch_related("themes", "projects")}
    for row in rows:
        partnership = by_title[row["title"]]
        assert partnership.lead_id == dataset.pk
        assert partnership.status == row["status"]
        assert partnership.goals == split_items(row["goals"])
        assert str(partnership.start_date or "") == row["start_date"]
        participants = [
            (name_key(name), role)
            for name, role in partnership.participants.exclude(role="lead")
            .order_by("pk")
            .values_list("organization__name", "role")
        ]
        assert participants == [(name_key(n), r) for n, r in partner_items(row["partners"])]
        assert sorted(t.name for t in partnership.themes.all()) == split_items(row["themes"])
        assert sorted(p.code for p in partnership.projects.all()) == sorted(
            split_items(row["projects"])
        )
        links = PartnershipLink.objects.filter(partnership=partnership).order_by("pk")
        assert [(link.label, link.url) for link in links] == link_items(row["links"])
    # A new organization is written once, however many rows name it.
    named = {name_key(n) for row in rows for n, _r in partner_items(row["partners"])}
    assert Organization.objects.count() - organizations == len(named - known) > 0


def test_the_child_measures_and_rolls_back(dataset, path):
    partnerships = Partnership.objects.count()
    floor = child_import("floor", str(path))
    assert floor["ok"]
    assert floor["rows"] == ROWS
    assert floor["memory_growth_mb"] >= 0
    assert Partnership.objects.count() == partnerships  # rolled back: the dataset stays

    hub = child_import("hub", str(path))
    if hub_import() is None:
        # Until the lead's import lands, the hub side fails and says why.
        assert not hub["ok"]
        assert hub["problem"] == NOT_YET
    else:
        assert hub["ok"], hub["problem"]
        assert hub["rows"] == ROWS
    assert Partnership.objects.count() == partnerships


def test_the_registry_scenarios_are_registered():
    registry = all_scenarios()
    for name in ("export_partnerships", "export_partnerships_xlsx", "import_partnerships"):
        assert registry[name].group == "registry"
        assert registry[name].targets
