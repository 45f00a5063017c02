"""The import in a real browser: upload a sheet with mistakes, map its columns, read the problems,
upload the corrected sheet, confirm, and find the records."""

from decimal import Decimal
from pathlib import Path

import pytest

from hub.funding.models import InKindContribution
from hub.imports.models import ImportJob
from hub.imports.tests.test_import import directory  # noqa: F401 (a fixture)

FILES = Path(__file__).resolve().parent / "import_files"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload_and_check(page, name: str) -> None:
    page.goto("/in-kind/import/")
    page.get_by_label("Spreadsheet").set_input_files(str(FILES / name))
    page.get_by_role("button", name="Upload and map columns").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Which column holds what?").is_visible()
    assert page.get_by_label("Wert (EUR)").input_value() == "value"
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_upload_map_preview_fix_and_confirm(browser_page, sign_in, affiliate, editor, request):
    museum = request.getfixturevalue("directory")["museum"]
    page = browser_page
    sign_in(page, "editor")

    upload_and_check(page, "sachspenden_2024_fehler.xlsx")
    page.shot("funding-import-mapping-done")
    problems = page.locator("ul.problems li").all_inner_texts()
    assert problems == [
        "row 7, column 'Wert (EUR)': '12,5.0' is not a number.",
        "row 10, column 'Datum': '31.02.2024' is not a date.",
    ]
    assert page.get_by_role("button", name="Add 5 rows").is_visible()
    page.shot("funding-import-preview-with-problems")
    assert InKindContribution.objects.count() == 0

    # fix the file rather than skipping: upload the corrected one; the mapping is remembered
    page.get_by_role("link", name="Upload a corrected file").click()
    page.wait_for_load_state()
    upload_and_check(page, "sachspenden_2024.xlsx")
    assert page.locator("ul.problems").count() == 0
    assert "Bäckerei Müller" in page.locator("main").inner_text()
    page.shot("funding-import-preview-clean")
    page.get_by_role("button", name="Add 7 rows").click()
    page.wait_for_load_state()
    assert "7 contributions were imported." in page.locator("main").inner_text()
    page.shot("funding-import-result")

    made = InKindContribution.objects.filter(receiving_organization=affiliate)
    assert made.count() == 7
    assert sum(c.value for c in made) == Decimal(
        "6397.56"
    )  # 1200 + 112.50 + 310.50 + 800 + 240 + 2500 + 1234.56
    assert made.filter(donor_organization=museum).count() == 1
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 1
