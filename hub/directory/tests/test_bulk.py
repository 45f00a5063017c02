"""Many new organizations at once: refused as organization_create refuses them, all or none, saved
as it saves them, and in a number of queries that does not grow with the rows."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from hub.core.bulk import RowError
from hub.core.models import HistoryEntry
from hub.directory.bulk import OrganizationChecker, organization_create_many
from hub.directory.models import Organization
from hub.directory.services import organization_create

pytestmark = pytest.mark.django_db

GOOD = {"name": "Landesmuseum", "kind": "museum", "country": "AT"}

# (what is wrong, the fields of the row): each refused naming the field it is keyed by.
REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("name", {"name": ""}),
    ("name", {"name": "x" * 201}),
    ("kind", {"kind": ""}),
    ("kind", {"kind": "castle"}),
    ("status", {"status": "sleeping"}),
    ("country", {"country": "XX"}),
    ("website", {"website": "javascript:alert(1)"}),
    ("website", {"website": "ftp://example.org"}),
    ("short_code", {"short_code": "wmat"}),
    ("short_code", {"short_code": "WMTL"}),  # the affiliate's: taken
    ("wikidata_id", {"wikidata_id": "12345"}),
    ("recognized_on", {"recognized_on": "2024-1"}),
    ("verified", {"verified": "maybe"}),
    ("created_at", {"created_at": "2024-01-01"}),  # not a field a service sets
]
IDS = [f"{field}-{i}" for i, (field, _row) in enumerate(REFUSED)]


def attempt(path: str, actor, fields: dict[str, Any], *, after: int = 1) -> dict[str, list[str]]:
    """What the single or the bulk path says of `fields` (a refusal of permission as "denied"),
    given to the bulk path after `after` good rows (the error names the row it is about)."""
    refusal: BaseException
    if path == "single":
        with pytest.raises((ValidationError, PermissionDenied)) as single:
            organization_create(actor=actor, **fields)
        refusal = single.value
    else:
        good = [{**GOOD, "name": f"Good {i}"} for i in range(after)]
        with pytest.raises(RowError) as bulk:
            organization_create_many(actor=actor, rows=[*good, fields])
        assert bulk.value.index == after
        cause = bulk.value.__cause__
        refusal = cause if isinstance(cause, PermissionDenied) else bulk.value
    if isinstance(refusal, PermissionDenied):
        return {"denied": [str(refusal)]}
    assert isinstance(refusal, ValidationError)
    return refusal.message_dict


@pytest.mark.parametrize("path", ["single", "bulk"])
@pytest.mark.parametrize(("field", "change"), REFUSED, ids=IDS)
def test_a_bad_row_is_refused_naming_its_field(affiliate, editor, path, field, change):
    count = Organization.objects.count()
    assert set(attempt(path, editor, {**GOOD, **change})) == {field}
    assert Organization.objects.count() == count


@pytest.mark.parametrize(("field", "change"), REFUSED, ids=IDS)
def test_both_paths_refuse_a_row_in_the_same_words(affiliate, editor, field, change):
    row = {**GOOD, **change}
    assert attempt("bulk", editor, row) == attempt("single", editor, row)


@pytest.mark.parametrize("path", ["single", "bulk"])
def test_only_staff_add_movement_organizations(affiliate, editor, staff, path):
    row = {"name": "Wikimedia Nowhere", "kind": "chapter", "short_code": "WMNO"}
    assert attempt(path, editor, row) == {
        "denied": ["Only administrators add movement organizations."]
    }
    if path == "bulk":
        [created] = organization_create_many(actor=staff, rows=[row])
    else:
        created = organization_create(actor=staff, **row)
    assert created.is_movement


@pytest.mark.parametrize("path", ["single", "bulk"])
def test_a_viewer_adds_no_organization(affiliate, viewer, path):
    # Every row is refused to a viewer: the first is the one named.
    assert attempt(path, viewer, GOOD, after=0) == {"denied": ["You cannot add organizations."]}


def test_a_refusal_of_permission_is_keyed_by_what_it_is_about(affiliate, editor, viewer):
    with pytest.raises(RowError) as movement:
        organization_create_many(actor=editor, rows=[{"name": "WM", "kind": "chapter"}])
    assert movement.value.message_dict == {
        "kind": ["Only administrators add movement organizations."]
    }
    with pytest.raises(RowError) as nothing:
        organization_create_many(actor=viewer, rows=[GOOD])
    assert nothing.value.message_dict == {NON_FIELD_ERRORS: ["You cannot add organizations."]}


def test_two_rows_with_one_short_code_are_refused_naming_it(affiliate, editor):
    rows = [{**GOOD, "short_code": "LMA"}, {**GOOD, "name": "Other", "short_code": "LMA"}]
    with pytest.raises(RowError) as caught:
        organization_create_many(actor=editor, rows=rows)
    assert caught.value.index == 1
    assert caught.value.message_dict == {
        "short_code": ["Organization with this Short code already exists."]
    }
    assert not Organization.objects.filter(short_code="LMA").exists()


def test_the_checker_refuses_a_short_code_an_earlier_row_took(affiliate, editor):
    checker = OrganizationChecker(editor)
    checker.check({**GOOD, "short_code": "LMA"})
    checker.check({**GOOD, "short_code": ""})  # no code: NULL, which never collides
    checker.check({**GOOD, "short_code": ""})
    with pytest.raises(ValidationError) as caught:
        checker.check({**GOOD, "short_code": "LMA"})
    assert set(caught.value.message_dict) == {"short_code"}


def test_a_bad_row_after_written_batches_leaves_nothing(affiliate, editor):
    organizations, entries = Organization.objects.count(), HistoryEntry.objects.count()
    rows = [{**GOOD, "name": f"Museum {i}"} for i in range(30)]
    rows[25]["website"] = "not a web address"
    with pytest.raises(RowError) as caught:
        organization_create_many(actor=editor, rows=rows, batch_size=10)
    assert caught.value.index == 25
    assert set(caught.value.message_dict) == {"website"}
    assert Organization.objects.count() == organizations
    assert HistoryEntry.objects.count() == entries


def test_a_row_is_saved_as_organization_create_saves_it(affiliate, editor):
    fields = {
        "name": "Österreichische Nationalbibliothek",
        "local_name": "ÖNB",
        "kind": "library",
        "country": "AT",
        "city": "Wien",
        "website": "https://www.onb.ac.at",
        "short_code": "",
        "wikidata_id": "Q304037",
        "recognized_on": "1368",
        "verified": False,
        "source_note": "From the 2016 survey.",
    }
    single = organization_create(actor=editor, **fields)
    [many] = organization_create_many(
        actor=editor, rows=[fields], history_changes={"source": [None, "partners.xlsx"]}
    )
    assert many.pk not in (None, single.pk)
    stored = Organization.objects.get(pk=many.pk)
    assert model_to_dict(stored, exclude=["id"]) == model_to_dict(single, exclude=["id"])
    assert stored.short_code is None  # blank is NULL, as the single path stores it
    single_entry = HistoryEntry.objects.for_object(single).get()
    many_entry = HistoryEntry.objects.for_object(stored).get()
    assert (single_entry.action, many_entry.action) == ("create", "import")
    assert many_entry.changes == {**single_entry.changes, "source": [None, "partners.xlsx"]}
    assert (many_entry.actor, many_entry.object_repr) == (editor, str(single))


def test_organizations_come_back_in_the_order_of_the_rows(affiliate, editor):
    rows = [{**GOOD, "name": f"Museum {i}"} for i in range(7)]
    created = organization_create_many(actor=editor, rows=rows, batch_size=3)
    assert [o.name for o in created] == [r["name"] for r in rows]
    assert [o.name for o in Organization.objects.filter(pk__in=[o.pk for o in created])] == sorted(
        r["name"] for r in rows
    )
    assert HistoryEntry.objects.filter(action="import").count() == 7


def test_nothing_to_write_writes_nothing(affiliate, editor):
    entries = HistoryEntry.objects.count()
    assert organization_create_many(actor=editor, rows=[]) == []
    assert HistoryEntry.objects.count() == entries


def queries_for(actor, count: int) -> int:
    rows = [
        {**GOOD, "name": f"Museum {count}-{i}", "short_code": f"M{count}X{i}"} for i in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        organization_create_many(actor=actor, rows=rows)
    return len(queries)


def test_the_queries_do_not_grow_with_the_rows(
    affiliate, editor, django_capture_on_commit_callbacks
):
    ContentType.objects.get_for_model(Organization)  # cached for the process, as in a server
    with django_capture_on_commit_callbacks() as callbacks:
        few = queries_for(editor, 10)
    many = queries_for(editor, 200)
    assert few == many
    assert len(callbacks) == 1  # the figures are marked changed once, not once a row
    assert Organization.objects.filter(short_code__startswith="M").count() == 210
