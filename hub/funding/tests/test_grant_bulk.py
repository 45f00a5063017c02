"""Many new grants at once: refused as grant_create refuses them, all or none, rows already imported
skipped, saved as grant_create saves them, and in a number of queries that does not grow with the
rows."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from hub.core.bulk import RowError
from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.factories import make_grant
from hub.funding.grants.bulk import GrantChecker, grant_create_many, grant_existing_keys
from hub.funding.grants.models import Grant
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def funder(db):
    return OrganizationFactory(name="Kulturstiftung", kind="funder")


@pytest.fixture
def good(affiliate, funder) -> dict[str, Any]:
    return {
        "title": "Wiki Loves Monuments 2025",
        "funder": funder,
        "recipient": affiliate,
        "amount": Decimal("5000.00"),
        "currency": "EUR",
    }


@pytest.fixture
def theirs(other_affiliate):
    """A public partnership the affiliate takes no part in."""
    return make_partnership(lead=other_affiliate, title="Their public one")


# (the field named, what is wrong): a function of the fixtures, so rows can name organizations.
REFUSED = [
    ("title", lambda f: {"title": "  "}),
    ("title", lambda f: {"title": "x" * 201}),
    ("amount", lambda f: {"amount": Decimal("-1")}),
    ("amount", lambda f: {"amount": None}),
    ("amount", lambda f: {"amount": Decimal("1e20")}),
    ("currency", lambda f: {"currency": "EURO"}),
    ("currency", lambda f: {"currency": "XYZ"}),
    ("status", lambda f: {"status": "dreamed"}),
    ("restriction", lambda f: {"restricted": True, "restriction": " "}),
    (
        "period_end",
        lambda f: {
            "period_start": datetime.date(2025, 5, 1),
            "period_end": datetime.date(2025, 4, 30),
        },
    ),
    ("period_start", lambda f: {"period_start": "spring"}),
    ("funder", lambda f: {"funder": f["affiliate"]}),
    ("partnership", lambda f: {"partnership": f["theirs"]}),
    ("import_key", lambda f: {"import_key": "k" * 81}),
]
IDS = [f"{field}-{i}" for i, (field, _change) in enumerate(REFUSED)]


@pytest.fixture
def fixtures(affiliate, theirs):
    return {"affiliate": affiliate, "theirs": theirs}


def attempt(path: str, actor, fields: dict[str, Any], good: dict[str, Any]) -> dict:
    """What the single or the bulk path says of `fields` (a refusal of permission as "denied"),
    given to the bulk path after a good row (the error names the row it is about)."""
    refusal: BaseException
    if path == "single":
        with pytest.raises((ValidationError, PermissionDenied)) as single:
            services.grant_create(actor=actor, **fields)
        refusal = single.value
    else:
        with pytest.raises(RowError) as bulk:
            grant_create_many(actor=actor, rows=[{**good, "title": "First"}, fields])
        assert bulk.value.index == 1
        cause = bulk.value.__cause__
        refusal = cause if isinstance(cause, PermissionDenied) else bulk.value
    if isinstance(refusal, PermissionDenied):
        return {"denied": [str(refusal)]}
    assert isinstance(refusal, ValidationError)
    return refusal.message_dict


@pytest.mark.parametrize("path", ["single", "bulk"])
@pytest.mark.parametrize(("field", "change"), REFUSED, ids=IDS)
def test_a_bad_row_is_refused_naming_its_field(editor, staff, good, fixtures, path, field, change):
    # Staff too: the partnership rule holds for those who see every partnership.
    for actor in (editor, staff):
        assert set(attempt(path, actor, {**good, **change(fixtures)}, good)) == {field}
    assert not Grant.objects.exists()


@pytest.mark.parametrize(("field", "change"), REFUSED, ids=IDS)
def test_both_paths_refuse_a_row_in_the_same_words(editor, good, fixtures, field, change):
    row = {**good, **change(fixtures)}
    assert attempt("bulk", editor, row, good) == attempt("single", editor, row, good)


@pytest.mark.parametrize("path", ["single", "bulk"])
def test_a_recipient_the_actor_does_not_edit_for_is_refused(other_affiliate, editor, good, path):
    row = {**good, "recipient": other_affiliate}
    assert attempt(path, editor, row, good) == {
        "denied": ["You can record grants only for organizations you edit for."]
    }


@pytest.mark.parametrize("path", ["single", "bulk"])
def test_staff_record_grants_only_for_movement_organizations(staff, good, path):
    # (only staff act for an external organization, so only they get this far)
    row = {**good, "recipient": OrganizationFactory(kind="museum")}
    assert attempt(path, staff, row, good) == {
        "recipient": ["The recipient must be a movement organization."]
    }


def test_a_refusal_of_permission_is_keyed_by_the_recipient(other_affiliate, editor, good):
    with pytest.raises(RowError) as caught:
        grant_create_many(actor=editor, rows=[{**good, "recipient": other_affiliate}])
    assert caught.value.message_dict == {
        "recipient": ["You can record grants only for organizations you edit for."]
    }


def test_a_field_grant_create_does_not_take_is_refused_naming_it(editor, good):
    with pytest.raises(ValidationError) as caught:
        GrantChecker(editor).check({**good, "version": 7})
    assert set(caught.value.message_dict) == {"version"}


def test_a_bad_row_after_written_batches_leaves_nothing(editor, good):
    entries = HistoryEntry.objects.count()
    rows = [{**good, "title": f"Grant {i}"} for i in range(30)]
    rows[25]["currency"] = "EURO"
    with pytest.raises(RowError) as caught:
        grant_create_many(actor=editor, rows=rows, batch_size=10)
    assert caught.value.index == 25
    assert set(caught.value.message_dict) == {"currency"}
    assert not Grant.objects.exists()
    assert HistoryEntry.objects.count() == entries


def test_rows_already_imported_are_skipped_and_counted(affiliate, editor, good):
    held = make_grant(recipient=affiliate, actor=editor, import_key="row-1")
    rows = [
        {**good, "import_key": "row-1"},  # the recipient holds it
        {**good, "import_key": "row-2"},
        {**good, "import_key": "row-2"},  # an earlier row gave it
        {**good, "import_key": f"hub:{held.pk}"},  # what an export writes for it
        {**good},
        {**good, "import_key": ""},
    ]
    result = grant_create_many(actor=editor, rows=rows, batch_size=2)
    assert result.skipped == 3
    assert len(result.ids) == 3
    assert list(
        Grant.objects.filter(pk__in=result.ids).order_by("pk").values_list("import_key", flat=True)
    ) == ["row-2", None, None]
    again = grant_create_many(actor=editor, rows=rows[:3])
    assert (again.ids, again.skipped) == ([], 3)


def test_grant_existing_keys_names_the_keys_the_recipient_holds(
    affiliate, other_affiliate, editor, staff, good
):
    first = make_grant(recipient=affiliate, actor=editor, import_key="a")
    make_grant(recipient=other_affiliate, actor=staff, import_key="b")
    assert grant_existing_keys(
        recipient=affiliate, keys=["a", "b", "", f"hub:{first.pk}", "hub:0"]
    ) == {"a", f"hub:{first.pk}"}


def test_a_row_is_saved_as_grant_create_saves_it(affiliate, editor, good, staff):
    ours = make_partnership(lead=affiliate, title="Our own", visibility="private")
    fields = {
        **good,
        "title": "  Digitising the archive ",
        "currency": "chf",
        "status": "awarded",
        "partnership": ours,
        "restricted": True,
        "restriction": "Travel only",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 12, 31),
        "description": "Two years.",
        "confidential": True,
    }
    single = services.grant_create(actor=editor, **fields, import_key="one")
    result = grant_create_many(
        actor=editor,
        rows=[{**fields, "import_key": "two"}],
        history_changes={"source": [None, "grants.xlsx"]},
    )
    [many] = Grant.objects.filter(pk__in=result.ids)
    skip = ["id", "import_key"]
    assert model_to_dict(many, exclude=skip) == model_to_dict(single, exclude=skip)
    assert (many.title, many.currency, many.version) == ("Digitising the archive", "CHF", 1)
    single_entry = HistoryEntry.objects.for_object(single).get()
    many_entry = HistoryEntry.objects.for_object(many).get()
    assert (single_entry.action, many_entry.action) == ("create", "import")
    assert many_entry.changes == {**single_entry.changes, "source": [None, "grants.xlsx"]}
    assert (many_entry.actor, many_entry.object_repr) == (editor, "Digitising the archive")


def test_ids_come_back_in_the_order_of_the_rows(affiliate, other_affiliate, staff, good):
    rows = [
        {**good, "title": f"Grant {i}", "recipient": (affiliate, other_affiliate)[i % 2]}
        for i in range(7)
    ]
    result = grant_create_many(actor=staff, rows=rows, batch_size=3)
    titles = dict(Grant.objects.values_list("pk", "title"))
    assert [titles[pk] for pk in result.ids] == [r["title"] for r in rows]


def queries_for(actor, good, count: int) -> int:
    funders = [OrganizationFactory(kind="funder") for _ in range(3)]
    rows = [
        {**good, "title": f"G{i}", "funder": funders[i % 3], "import_key": f"{count}-{i}"}
        for i in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        result = grant_create_many(actor=actor, rows=rows)
    assert len(result.ids) == count
    return len(queries)


def test_the_queries_do_not_grow_with_the_rows(
    affiliate, editor, good, django_capture_on_commit_callbacks
):
    ours = make_partnership(lead=affiliate, title="Our own")
    good = {**good, "partnership": ours}
    ContentType.objects.get_for_model(Grant)  # cached for the process, as in a server
    with django_capture_on_commit_callbacks() as callbacks:
        few = queries_for(editor, good, 10)
    assert few == queries_for(editor, good, 200)
    assert len(callbacks) == 1  # the figures are marked changed once, not once a row
