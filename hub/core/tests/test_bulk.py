"""hub.core.bulk: FieldChecks finds what full_clean() finds, and insert() writes what bulk_create
writes (COPY on PostgreSQL), on every database the suite runs on."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.core.bulk import FieldChecks, Relations, ValuesIn, insert
from hub.directory.factories import OrganizationFactory
from hub.funding.models import InKindContribution

pytestmark = pytest.mark.django_db

EXCLUDE = ["receiving_organization", "donor_organization", "partnership", "valuation_rate"]
FIELDS = [
    f.name
    for f in InKindContribution._meta.concrete_fields
    if f.name not in {*EXCLUDE, "import_entry"} and not f.primary_key
]

# Valid and invalid values of each checked field, as a service could be handed them.
VALUES: dict[str, list[Any]] = {
    "donor_name": ["", "Jane", "x" * 301, "Bäckerei Müller"],
    "date": [datetime.date(2024, 2, 29), "2024-03-01", "2024-13-01", None, "soon"],
    "period_end": [None, datetime.date(2024, 3, 1), "2024-02-30"],
    "category": ["catering", "nope", "", None],
    "description": ["", "Räume\tmit\nZeilen"],
    "quantity": [None, Decimal("2.5"), Decimal("1e20"), Decimal("NaN"), "3", "drei"],
    "unit": ["", "hours", "litres"],
    "value": [Decimal("12.50"), Decimal("0.001"), Decimal("123456789012345"), 12, None],
    "currency": ["EUR", "eur", "EURO", "", "E1R"],
    "valuation_method": ["fair_market_value", "guess", ""],
    "value_source": ["given", "rate", "other"],
    "evidence_url": ["", "https://example.org/a", "not a link", "ftp://x"],
    "acknowledgement": ["", "Logo on the poster"],
    "confidential": [False, True, "yes", None],
    "import_key": [None, "k" * 80, "k" * 81],
    "archived": [False, True],
    "version": [1, 0, -1, "2"],
}


def contribution(values: dict) -> InKindContribution:
    item = InKindContribution()
    for name, value in values.items():
        setattr(item, name, value)
    return item


def full_clean_errors(item: InKindContribution) -> dict[str, list[str]]:
    """What full_clean() finds in the fields (its clean_fields() step): FieldChecks stands in for
    that step in the bulk path, which then runs the model's clean() itself, as full_clean() does."""
    try:
        item.clean_fields(exclude=EXCLUDE)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: st.sampled_from(values) for name, values in VALUES.items()}))
def test_field_checks_find_exactly_what_full_clean_finds(values):
    assert set(VALUES) <= set(FIELDS)
    checks = FieldChecks(InKindContribution, FIELDS)
    checked, cleaned = contribution(values), contribution(values)
    errors = checks.check(checked)
    assert errors == full_clean_errors(cleaned)
    if not errors:
        # and it leaves the same cleaned values on the instance (a date text becomes a date)
        assert [getattr(checked, f) for f in VALUES] == [getattr(cleaned, f) for f in VALUES]


# One FieldChecks for every example: what it remembers of earlier rows must change no verdict.
SHARED_CHECKS: list[FieldChecks] = []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: st.sampled_from(values) for name, values in VALUES.items()}))
def test_field_checks_remembering_valid_values_changes_no_verdict(values):
    if not SHARED_CHECKS:
        SHARED_CHECKS.append(FieldChecks(InKindContribution, FIELDS))
    checked, cleaned = contribution(values), contribution(values)
    assert SHARED_CHECKS[0].check(checked) == full_clean_errors(cleaned)


def test_field_checks_remember_texts_and_dates_only():
    # Decimal("1.5") == Decimal("1.500"), yet only the first fits two decimal places.
    checks = FieldChecks(InKindContribution, ["value", "currency"])
    assert checks.check(contribution({"value": Decimal("1.5"), "currency": "EUR"})) == {}
    assert "value" in checks.check(contribution({"value": Decimal("1.500"), "currency": "EUR"}))
    assert checks.check(contribution({"value": Decimal("2"), "currency": "EUR"})) == {}
    assert "currency" in checks.check(contribution({"value": Decimal("2"), "currency": "EU"}))


def test_field_checks_keep_a_valid_instance_as_it_is():
    item = contribution(
        {
            "date": "2024-03-01",
            "category": "catering",
            "value": Decimal("1.50"),
            "currency": "EUR",
            "valuation_method": "donor_stated",
        }
    )
    assert FieldChecks(InKindContribution, FIELDS).check(item) == {}
    assert item.date == datetime.date(2024, 3, 1)


def make(receiving, donor, n: int, key: str) -> InKindContribution:
    return InKindContribution(
        receiving_organization=receiving,
        donor_organization=donor if n % 2 else None,
        donor_name="" if n % 2 else f"Person {n}",
        date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        category="catering",
        description=f"Zeile {n}:\ttab, newline\n, backslash \\ and 'quotes' \"here\" — ✓",
        quantity=Decimal(n + 1) if n % 3 == 0 else None,
        unit="hours" if n % 3 == 0 else "",
        value=Decimal("1234.56") + n,
        currency="EUR",
        valuation_method="donor_stated",
        confidential=n % 4 == 0,
        import_key=f"{key}-{n}",
    )


def test_insert_writes_the_rows_bulk_create_writes():
    receiving, donor = OrganizationFactory(kind="chapter"), OrganizationFactory()
    started = timezone.now()
    insert(InKindContribution, [make(receiving, donor, n, "copy") for n in range(25)])
    InKindContribution.objects.bulk_create([make(receiving, donor, n, "orm") for n in range(25)])

    ignore = {"id", "import_key", "created_at", "updated_at"}
    names = [f.attname for f in InKindContribution._meta.concrete_fields if f.name not in ignore]

    def rows(prefix: str) -> list[tuple]:
        found = InKindContribution.objects.filter(import_key__startswith=prefix).order_by("date")
        return list(found.values_list(*names))

    assert len(rows("copy-")) == 25
    assert rows("copy-") == rows("orm-")
    stamped = InKindContribution.objects.filter(import_key__startswith="copy-")
    # auto_now fields are stamped as save() stamps them
    assert all(started <= c.created_at <= c.updated_at <= timezone.now() for c in stamped)


def test_insert_keeps_the_databases_constraints():
    from django.db import IntegrityError, transaction

    receiving, donor = OrganizationFactory(kind="chapter"), OrganizationFactory()
    insert(InKindContribution, [make(receiving, donor, 1, "same")])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(InKindContribution, [make(receiving, donor, 1, "same")])  # the unique import key
    assert InKindContribution.objects.count() == 1


def test_blank_makes_what_the_model_makes_without_sharing_callable_defaults():
    from hub.core.bulk import Blank
    from hub.imports.models import ImportJob

    def values(instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in ImportJob._meta.concrete_fields}

    blank = Blank(ImportJob)
    first, second = blank(), blank()
    assert values(first) == values(ImportJob())
    assert first.mapping == {}
    assert first.mapping is not second.mapping  # default=dict, called
    first.mapping["Wert"] = "value"
    assert second.mapping == {}
    assert blank().mapping == {}
    assert first._state.adding
    assert first._state is not second._state


def test_relations_set_what_assignment_sets():
    first, second = OrganizationFactory(kind="chapter"), OrganizationFactory()
    unsaved = OrganizationFactory.build()
    relations = Relations(InKindContribution, ["receiving_organization", "donor_organization"])
    sequence = [first, first, second, None, first, unsaved, unsaved, second]
    for value in sequence:
        fast, plain = InKindContribution(), InKindContribution()
        relations.set(fast, "donor_organization", value)
        plain.donor_organization = value
        assert fast.donor_organization_id == plain.donor_organization_id
        assert fast.donor_organization is value
        assert fast._state.db == plain._state.db
    unsaved.save()  # an object saved after it was first set: its new id is what is set now
    item = InKindContribution()
    relations.set(item, "donor_organization", unsaved)
    assert item.donor_organization_id == unsaved.pk is not None
    with pytest.raises(ValueError, match=r"must be a .*Organization"):
        relations.set(InKindContribution(), "receiving_organization", "not an organization")


def test_values_in_finds_each_held_value_chunk_by_chunk():
    receiving, other = OrganizationFactory(kind="chapter"), OrganizationFactory(kind="chapter")
    donor = OrganizationFactory()
    insert(InKindContribution, [make(receiving, donor, n, "held") for n in range(7)])
    insert(InKindContribution, [make(other, donor, n, "elsewhere") for n in range(3)])
    held = InKindContribution.objects.filter(receiving_organization=receiving)
    asked = [f"held-{n}" for n in range(0, 10, 2)] + ["elsewhere-1", "held-6", "none", "held-1"]
    expected = {"held-0", "held-2", "held-4", "held-6", "held-1"}
    for chunk in (1, 2, 3, 500):  # reused SQL (2, 3), the last chunk shorter, one value each
        assert set(ValuesIn(held.order_by("import_key"), "import_key", chunk)(asked)) == expected
    lookup = ValuesIn(held.order_by("import_key"), "import_key", chunk=2)  # asked twice
    assert set(lookup(["held-0", "held-1", "none", "held-3"])) == {"held-0", "held-1", "held-3"}
    assert set(lookup(["held-5", "elsewhere-0", "held-2", "x"])) == {"held-5", "held-2"}
    ids = list(held.values_list("pk", flat=True))
    found = set(ValuesIn(held.order_by(), "pk", chunk=2)([*ids[:4], 10**9, *ids[4:]]))
    assert found == set(ids)
    # dates become text for SQLite and MariaDB on the way: each chunk is compiled anew
    days = [datetime.date(2024, 1, 1) + datetime.timedelta(days=n) for n in range(-2, 4)]
    found = set(ValuesIn(held.order_by(), "date", chunk=2)(days))
    assert found == {datetime.date(2024, 1, 1) + datetime.timedelta(days=n) for n in range(4)}
