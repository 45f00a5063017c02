import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.funding.models import InKindContribution, ValuationRate, ValueSource

pytestmark = pytest.mark.django_db
D = datetime.date


def test_value_comes_from_the_rate_in_force_on_the_date(affiliate, editor):
    old = make_rate(organization=affiliate, amount=Decimal("15.00"), valid_from=D(2020, 1, 1))
    new = make_rate(organization=affiliate, amount=Decimal("20.00"), valid_from=D(2024, 1, 1))
    old.refresh_from_db()
    assert old.valid_to == D(2023, 12, 31)
    made_2023 = make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        category="volunteer_time",
        quantity=Decimal("10"),
        unit="hours",
        date=D(2023, 6, 1),
    )
    made_2024 = make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        category="volunteer_time",
        quantity=Decimal("10"),
        unit="hours",
        date=D(2024, 1, 1),
    )
    assert (made_2023.value, made_2023.valuation_rate) == (Decimal("150.00"), old)
    assert (made_2024.value, made_2024.valuation_rate) == (Decimal("200.00"), new)
    assert made_2024.value_source == ValueSource.RATE
    assert made_2024.valuation_method == "standard_rate"


def test_a_given_value_wins_over_the_rate(affiliate, editor):
    make_rate(organization=affiliate)
    made = make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        category="volunteer_time",
        quantity=Decimal("10"),
        unit="hours",
        value=Decimal("999"),
        currency="usd",
    )
    assert (made.value, made.currency, made.value_source) == (Decimal("999"), "USD", "given")
    assert made.valuation_rate is None


def test_no_rate_and_no_value_is_refused_naming_the_value(affiliate, editor):
    with pytest.raises(ValidationError) as caught:
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            category="catering",
            quantity=Decimal("30"),
            unit="persons",
        )
    assert "value" in caught.value.message_dict
    assert "Catering" in caught.value.message_dict["value"][0]
    assert not InKindContribution.objects.exists()


def test_bad_fields_are_named(affiliate, editor):
    with pytest.raises(ValidationError) as caught:
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_name="",
            donor_organization=None,
            quantity=Decimal("-1"),
            unit="hours",
            date=D(2024, 5, 1),
            period_end=D(2024, 4, 1),
        )
    assert {"donor_organization", "quantity", "period_end"} <= set(caught.value.message_dict)


@pytest.mark.parametrize("code", ["ERU", "GPB", "XYZ"])
def test_a_currency_not_in_iso_4217_is_refused_naming_it(affiliate, editor, code):
    with pytest.raises(ValidationError) as caught:
        make_contribution(receiving_organization=affiliate, actor=editor, currency=code)
    assert caught.value.message_dict == {
        "currency": [
            f"'{code}' is not an ISO 4217 currency code; write one such as EUR, USD or CHF."
        ]
    }
    assert not InKindContribution.objects.exists()


def test_a_withdrawn_currency_of_an_older_record_is_accepted(affiliate, editor):
    made = make_contribution(
        receiving_organization=affiliate, actor=editor, currency="HRK", date=D(2019, 5, 1)
    )
    assert made.currency == "HRK"


def test_viewer_and_outsider_cannot_record(affiliate, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            make_contribution(receiving_organization=affiliate, actor=user)


def test_rate_update_revalues_its_contributions_with_history(affiliate, manager):
    rate = make_rate(organization=affiliate, actor=manager)
    made = make_contribution(
        receiving_organization=affiliate,
        actor=manager,
        category="volunteer_time",
        quantity=Decimal("3"),
        unit="hours",
    )
    services.rate_update(actor=manager, rate=rate, amount=Decimal("25.00"))
    made.refresh_from_db()
    assert made.value == Decimal("75.00")
    entries = HistoryEntry.objects.for_object(made)
    assert entries.first().changes["value"] == ["60.00", "75.00"]


def test_update_recomputes_a_rate_value_when_quantity_changes(affiliate, editor):
    make_rate(organization=affiliate)
    made = make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        category="volunteer_time",
        quantity=Decimal("3"),
        unit="hours",
    )
    updated = services.contribution_update(
        actor=editor, contribution=made, quantity=Decimal("4"), expected_version=1
    )
    assert (updated.value, updated.version) == (Decimal("80.00"), 2)
    with pytest.raises(StaleVersionError):
        services.contribution_update(
            actor=editor, contribution=made, description="x", expected_version=1
        )


def test_archive_keeps_the_record_and_its_history(affiliate, editor):
    made = make_contribution(receiving_organization=affiliate, actor=editor)
    services.contribution_archive(actor=editor, contribution=made)
    made.refresh_from_db()
    assert made.archived
    assert not InKindContribution.objects.current().exists()
    assert HistoryEntry.objects.for_object(made).first().action == "archive"


def test_create_many_is_idempotent_by_import_key(affiliate, editor):
    donor = OrganizationFactory()
    rows = [
        {
            "receiving_organization": affiliate,
            "donor_organization": donor,
            "date": D(2024, 1, n),
            "category": "catering",
            "value": Decimal(n),
            "currency": "EUR",
            "import_key": f"row-{n}",
        }
        for n in range(1, 6)
    ]
    first = services.contribution_create_many(actor=editor, rows=rows, batch_size=2)
    again = services.contribution_create_many(actor=editor, rows=rows)
    assert (first.created, first.skipped_existing) == (5, 0)
    assert (again.created, again.skipped_existing) == (0, 5)
    assert InKindContribution.objects.count() == 5
    # One entry for the five rows, on the organization; the second call added none.
    entry = HistoryEntry.objects.get(action="import")
    assert (entry.object_id, entry.actor) == (affiliate.pk, editor)
    assert entry.changes["imported_contributions"] == [None, 5]
    assert set(InKindContribution.objects.values_list("import_entry", flat=True)) == {entry.pk}


def test_create_many_writes_nothing_when_a_row_is_bad(affiliate, editor):
    rows = [
        {
            "receiving_organization": affiliate,
            "donor_name": "Jane",
            "date": D(2024, 1, 1),
            "category": "catering",
            "value": Decimal(1),
            "currency": "EUR",
        },
        {
            "receiving_organization": affiliate,
            "donor_name": "",
            "date": D(2024, 1, 1),
            "category": "catering",
            "value": Decimal(1),
            "currency": "EUR",
        },
    ]
    with pytest.raises(services.RowError) as caught:
        services.contribution_create_many(actor=editor, rows=rows, batch_size=1)
    assert caught.value.index == 1
    assert "donor_organization" in caught.value.message_dict
    assert not InKindContribution.objects.exists()


def test_overlapping_rate_is_refused(affiliate, editor):
    make_rate(organization=affiliate, valid_from=D(2024, 1, 1), valid_to=D(2024, 12, 31))
    with pytest.raises(ValidationError) as caught:
        make_rate(organization=affiliate, valid_from=D(2024, 6, 1))
    assert "valid_from" in caught.value.message_dict
    assert ValuationRate.objects.count() == 1


def test_restricted_grant_needs_its_restriction(affiliate, editor):
    with pytest.raises(ValidationError) as caught:
        make_grant(recipient=affiliate, actor=editor, restricted=True)
    assert "restriction" in caught.value.message_dict
    grant = make_grant(recipient=affiliate, actor=editor, restricted=True, restriction="Travel")
    deadline = services.deadline_create(
        actor=editor, grant=grant, due_date=D(2025, 1, 31), description="Interim report"
    )
    services.deadline_set_done(actor=editor, deadline=deadline)
    changes = HistoryEntry.objects.for_object(grant).first().changes
    assert changes["deadlines"][1] == ["2025-01-31 Interim report ✓"]


def test_the_form_names_a_currency_not_in_iso_4217():
    from hub.funding.fields import CurrencyField

    field = CurrencyField()
    assert field.clean("chf") == "CHF"
    with pytest.raises(ValidationError) as caught:
        field.clean("eru")
    assert caught.value.messages == [
        "'ERU' is not an ISO 4217 currency code; write one such as EUR, USD or CHF."
    ]


def test_missing_or_negative_fields_get_the_hubs_own_words(affiliate, editor):
    # the model holds these messages, so the pages, the API and the import preview say the same
    with pytest.raises(ValidationError) as caught:
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            date=None,
            value=Decimal("-1"),
            currency="",
        )
    assert caught.value.message_dict["date"] == ["Give the date."]
    assert caught.value.message_dict["value"] == ["The value cannot be negative."]
    assert caught.value.message_dict["currency"] == ["Give the currency of the value, such as EUR."]
    with pytest.raises(ValidationError) as caught:
        make_grant(recipient=affiliate, actor=editor, amount=Decimal("-5"))
    assert caught.value.message_dict["amount"] == ["The amount cannot be negative."]
    grant = make_grant(recipient=affiliate, actor=editor)
    with pytest.raises(ValidationError) as caught:
        services.deadline_create(actor=editor, grant=grant, due_date=D(2025, 1, 31), description="")
    assert caught.value.message_dict["description"] == ["Say what is due."]
    assert not InKindContribution.objects.exists()
