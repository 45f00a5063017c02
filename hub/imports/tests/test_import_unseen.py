"""Four chapter-office spreadsheets written by someone outside the import's authors (German XLSX,
French ODS, Spanish Windows-1252 CSV, English XLSX with a hidden and a cover sheet), each with
bad rows: every bad row and column is named, with or without --dry-run; --skip-invalid imports
exactly the valid rows; a second import adds nothing; the infographic's total is their sum.
import_files/unseen/README.md lists what each row holds and why."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from hub.funding.factories import make_rate
from hub.funding.figures import Scope, compute
from hub.funding.models import InKindContribution
from hub.imports.engine import run_import

pytestmark = pytest.mark.django_db
UNSEEN = Path(__file__).resolve().parent / "import_files" / "unseen"

# file: (bad (row, column) pairs, number of valid rows, their total in EUR at the test rates)
FILES = {
    "wmat_sachleistungen_2025.xlsx": (
        {(8, "Datum"), (11, "Wert"), (12, "Art der Leistung"), (14, "Menge")},
        6,
        Decimal("6359.56"),
    ),
    "wmfr_cvn_2025.ods": (
        {(9, "Quantité"), (12, "Date du don"), (13, "Catégorie"), (14, "Devise")},
        8,
        Decimal("6500.91"),
    ),
    "wmes_aportaciones_2025.csv": (
        {(7, "Fecha"), (8, "Importe (€)"), (12, "Tipo de aportación"), (13, "Cantidad")},
        7,
        Decimal("6678.23"),
    ),
    "wmuk_in_kind_register_2025.xlsx": (
        {(6, "Date received"), (8, "Estimated value"), (9, "Currency"), (11, "Type of support")},
        7,
        Decimal("8944.87"),
    ),
}


@pytest.fixture
def rates(affiliate):
    call_command(
        "import_exchange_rates", str(UNSEEN / "ecb-test-rates-2025.csv"), stdout=StringIO()
    )
    make_rate(organization=affiliate)  # volunteer time, 20 EUR an hour
    make_rate(organization=affiliate, category="venue_space", unit="days", amount=Decimal(400))


def bad_cells(result) -> set[tuple[int | None, str | None]]:
    return {(problem.row, problem.column) for problem in result.problems}


@pytest.mark.usefixtures("rates")
@pytest.mark.parametrize("name", FILES)
def test_an_unseen_office_file_is_refused_row_by_row_then_imports_its_valid_rows_once(
    name, affiliate, editor
):
    bad, valid, total = FILES[name]
    path = UNSEEN / name

    checked = run_import(path, organization=affiliate, actor=editor)
    assert not checked.fatal, checked.messages()
    assert bad_cells(checked) == bad
    assert checked.valid_rows == valid

    refused = run_import(path, organization=affiliate, actor=editor, write=True)
    assert not refused.imported
    assert bad_cells(refused) == bad  # the same rows as the check, service rules included
    assert InKindContribution.objects.count() == 0

    imported = run_import(path, organization=affiliate, actor=editor, write=True, skip_invalid=True)
    assert imported.imported
    assert imported.created == valid
    assert (
        run_import(
            path, organization=affiliate, actor=editor, write=True, skip_invalid=True
        ).created
        == 0
    )
    assert InKindContribution.objects.count() == valid

    figures = compute(editor, Scope(organization=affiliate), 2025, "EUR")
    assert figures.error == ""
    assert figures.total == total


@pytest.mark.usefixtures("rates")
def test_the_command_names_every_bad_row_without_dry_run(affiliate):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command(
            "import_contributions",
            str(UNSEEN / "wmat_sachleistungen_2025.xlsx"),
            organization=affiliate.short_code,
            stdout=out,
            stderr=err,
        )
    assert exit_status.value.code == 1
    printed = out.getvalue() + err.getvalue()
    for row, column in FILES["wmat_sachleistungen_2025.xlsx"][0]:
        assert f"row {row}, column '{column}'" in printed
    assert InKindContribution.objects.count() == 0


@pytest.mark.usefixtures("rates")
def test_the_preview_shows_numbers_as_the_sheet_meant_them(affiliate, editor):
    checked = run_import(
        UNSEEN / "wmuk_in_kind_register_2025.xlsx", organization=affiliate, actor=editor
    )
    first = checked.sample[0]
    assert (first["row"], first["quantity"], first["value"]) == ("2", "1 days", "750.00 GBP")
    assert checked.sample[-1]["quantity"] == "30 hours"
