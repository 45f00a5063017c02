"""The partnerships import in a real browser (issue 20): a chapter's sheet with a bad row and a
partner spelled like two directory organizations; the person chooses the right one, skips the bad
row or uploads a corrected file, confirms, finds the partnerships in the registry, downloads the
registry and imports the download back with nothing added."""

import csv
from pathlib import Path

import pytest

from hub.directory.factories import OrganizationFactory
from hub.imports.models import ImportedRecord, ImportJob
from hub.partnerships.models import Participant, Partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

HEADER = ["Projekt", "Partner", "Ziele", "Status", "Beginn", "Ende"]
# Row 2 names a museum as people write it: without its umlaut, which two directory records match;
# row 4's status is a word no language of the hub has.
SHEET = [
    HEADER,
    ["Insektenzählung", "Museum fur Naturkunde (Gastgeber)", "Inhalte", "laufend", "01.03.2024", ""],
    ["Schreibwerkstatt", "NLT", "Inhalte, Öffentlichkeitsarbeit", "abgeschlossen", "10.01.2023", "30.06.2023"],
    ["Archivtage", "NLT", "Inhalte", "vielleicht", "01.09.2024", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def museums(db):
    """The museum meant (in Berlin) and another of nearly the same name (in Vienna), and a
    library the sheet names by its short code."""
    return {
        "berlin": OrganizationFactory(name="Museum für Naturkunde", kind="museum", country="DE"),
        "vienna": OrganizationFactory(name="Museum fur Naturkunde", kind="museum", country="AT"),
        "library": OrganizationFactory(
            name="The National Library of Testland", kind="library", short_code="NLT"
        ),
    }


def write_sheet(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def upload_and_check(page, path: Path) -> None:
    """Upload a file on the partnerships import page, keep the proposed mapping, check it."""
    page.goto("/import/partnerships/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Which column holds what?").is_visible()
    assert page.get_by_label("Projekt").input_value() == "title"
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_load_state()


def problems(page) -> list[str]:
    return page.locator("ul.problems li").all_inner_texts()


def choose_the_berlin_museum(page, museums) -> None:
    matches = page.get_by_role("group", name="“Museum fur Naturkunde” (rows 2)")
    assert matches.is_visible()
    assert matches.get_by_label("Museum fur Naturkunde (AT)").is_visible()
    matches.get_by_label("Museum für Naturkunde (DE)").check()
    page.get_by_role("button", name="Use these and check again").click()
    page.wait_for_load_state()


def find_in_the_registry(page, title: str) -> None:
    page.goto("/partnerships/")
    search = page.get_by_label("Text", exact=True)
    if not search.is_visible():  # the filters fold away on a narrow screen
        page.get_by_text("Filters", exact=True).first.click()
    search.fill(title)
    search.press("Enter")
    page.wait_for_load_state()
    page.locator("#results").get_by_text("1 partnership", exact=True).wait_for()
    page.locator("#results").get_by_role("link", name=title).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=title, level=1).is_visible()


def test_choose_the_partner_skip_the_bad_row_find_export_and_import_back(
    browser_page, sign_in, affiliate, editor, museums, tmp_path
):
    page = browser_page
    sign_in(page, "editor")
    upload_and_check(page, write_sheet(tmp_path / "partnerschaften.csv", SHEET))
    listed = problems(page)
    assert any(text.startswith("row 4, column 'Status': 'vielleicht'") for text in listed), listed
    assert any(text.startswith("row 2") and "choose which below" in text for text in listed), listed
    page.shot("partnerships-import-preview-with-problems")
    assert Partnership.objects.count() == 0

    choose_the_berlin_museum(page, museums)
    listed = problems(page)
    assert len(listed) == 1, listed
    assert listed[0].startswith("row 4, column 'Status'"), listed
    assert page.get_by_role("group", name="“Museum fur Naturkunde” (rows 2)").count() == 0
    assert (
        "2 rows will be added; 1 has problems and is skipped."
        in page.locator("#confirm-summary").inner_text()
    )
    page.shot("partnerships-import-preview-chosen")
    page.get_by_role("button", name="Add 2 rows").click()
    page.wait_for_load_state()
    assert "2 partnerships were imported." in page.locator("main").inner_text()
    page.shot("partnerships-import-result")

    assert set(Partnership.objects.values_list("title", flat=True)) == {
        "Insektenzählung",
        "Schreibwerkstatt",
    }
    insects = Partnership.objects.get(title="Insektenzählung")
    host = insects.participants.get(role=Participant.Role.HOST)
    assert host.organization == museums["berlin"]
    assert not Participant.objects.filter(organization=museums["vienna"]).exists()
    assert ImportedRecord.objects.filter(kind="partnerships").count() == 2

    find_in_the_registry(page, "Insektenzählung")
    participants = page.get_by_role("table", name="Participants")
    berlin_link = participants.get_by_role("link", name="Museum für Naturkunde", exact=True)
    assert berlin_link.get_attribute("href") == museums["berlin"].get_absolute_url()
    assert participants.locator(f'a[href="{museums["vienna"].get_absolute_url()}"]').count() == 0
    page.shot("partnerships-import-found-in-registry")

    # the registry's download, imported back: nothing new
    page.goto("/partnerships/")
    with page.expect_download() as download:
        page.locator("#results").get_by_role("link", name="CSV", exact=True).click()
    exported = tmp_path / "registry.csv"
    download.value.save_as(exported)
    assert "Insektenzählung" in exported.read_text(encoding="utf-8-sig")
    page.goto("/import/partnerships/")
    page.get_by_label("Spreadsheet").set_input_files(str(exported))
    page.get_by_role("button", name="Upload and map columns").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_load_state()
    page.shot("partnerships-import-export-read-back")
    assert problems(page) == []
    summary = page.locator("#confirm-summary").inner_text()
    assert summary == "No row will be added; 2 were already imported and are skipped.", summary
    assert page.get_by_role("button", name="Add 0 rows").count() == 0
    assert Partnership.objects.count() == 2
    job = ImportJob.objects.order_by("pk").last()
    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.preview["valid_rows"], job.preview["already_imported"]) == (2, 2)


def test_upload_a_corrected_file_after_choosing_and_every_row_is_added(
    browser_page, sign_in, affiliate, editor, museums, tmp_path
):
    page = browser_page
    sign_in(page, "editor")
    upload_and_check(page, write_sheet(tmp_path / "partnerschaften.csv", SHEET))
    assert any(text.startswith("row 4, column 'Status'") for text in problems(page))

    # fix the file rather than skip the row
    corrected = [row[:] for row in SHEET]
    corrected[3][3] = "geplant"
    page.get_by_role("link", name="Upload a corrected file").click()
    page.wait_for_load_state()
    upload_and_check(page, write_sheet(tmp_path / "partnerschaften-korrigiert.csv", corrected))
    listed = problems(page)
    assert len(listed) == 1, listed
    assert listed[0].startswith("row 2"), listed
    choose_the_berlin_museum(page, museums)
    assert problems(page) == []
    assert page.locator("#confirm-summary").inner_text() == "3 rows will be added."
    page.get_by_role("button", name="Add 3 rows").click()
    page.wait_for_load_state()
    assert "3 partnerships were imported." in page.locator("main").inner_text()

    assert Partnership.objects.count() == 3
    assert Partnership.objects.get(title="Archivtage").status == Partnership.Status.PROSPECT
    insects = Partnership.objects.get(title="Insektenzählung")
    assert insects.participants.filter(organization=museums["berlin"]).exists()
    assert not Participant.objects.filter(organization=museums["vienna"]).exists()
    find_in_the_registry(page, "Archivtage")
    participants = page.get_by_role("table", name="Participants")
    assert participants.get_by_role("link", name="The National Library of Testland").is_visible()
