"""Importing from workbooks of several sheets (the list on the second sheet, one sheet per year):
the service, the pages, the command; and the discarding of uploads nobody finished."""

import datetime
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hub.core.testing.office import soffice_convert
from hub.funding.models import InKindContribution
from hub.imports.engine import import_file, run_import
from hub.imports.models import ImportJob
from hub.imports.tests.test_import import command, directory  # noqa: F401 (a fixture)
from hub.imports.tests.test_import_views import upload

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "import_files"
HEADER_2023 = ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"]
ROWS_2023 = [
    ["Testland Museum", "01.03.2023", "Raum", "Saal für das Fotoprojekt", "500,00", "EUR"],
    ["WMOL", "15.07.2023", "Reise", "Bahnfahrt zur Wikimania", "99,00", "EUR"],
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """A chapter office's workbook: a cover sheet, the 2024 list (the values of the single-sheet
    file sachspenden_2024.xlsx, merged cell included) and the 2023 list; and the same as ODS."""
    folder = tmp_path_factory.mktemp("workbooks")
    source = openpyxl.load_workbook(FILES / "sachspenden_2024.xlsx", data_only=True).active
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Deckblatt"
    cover.append(["Sachspenden an Wikimedia Testland"])
    cover.append(["Erstellt von der Geschäftsstelle"])
    sheet = wb.create_sheet("Sachspenden 2024")
    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None:
                target = sheet.cell(row=cell.row, column=cell.column, value=cell.value)
                target.number_format = cell.number_format
    for merged in source.merged_cells.ranges:
        sheet.merge_cells(str(merged))
    older = wb.create_sheet("Sachspenden 2023")
    older.append(HEADER_2023)
    for row in ROWS_2023:
        older.append(row)
    wb.create_sheet("Leer")
    xlsx = folder / "sachspenden_geschaeftsstelle.xlsx"
    wb.save(xlsx)
    soffice_convert(xlsx, "ods")
    return {"xlsx": xlsx, "ods": folder / "sachspenden_geschaeftsstelle.ods"}


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_list_on_the_second_sheet_imports_and_its_rows_keep_their_keys(
    workbooks, fmt, affiliate, editor
):
    # the single-sheet file first: the same rows on the second sheet of a workbook add nothing
    assert import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor).created == 7
    preview = run_import(workbooks[fmt], organization=affiliate, actor=editor)
    assert preview.ok, preview.messages()
    assert (preview.rows, preview.header_row, preview.already_imported) == (7, 4, 7)
    assert import_file(workbooks[fmt], affiliate, editor).created == 0
    assert InKindContribution.objects.count() == 7


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_named_sheet_is_imported(workbooks, fmt, affiliate, editor):
    result = run_import(
        workbooks[fmt], organization=affiliate, actor=editor, write=True, sheet="Sachspenden 2023"
    )
    assert result.messages() == []
    assert result.created == 2
    dates = InKindContribution.objects.order_by("date").values_list("date", flat=True)
    assert list(dates) == [datetime.date(2023, 3, 1), datetime.date(2023, 7, 15)]


def test_an_unknown_sheet_is_fatal_and_lists_the_sheets(workbooks, affiliate, editor):
    result = run_import(workbooks["xlsx"], organization=affiliate, actor=editor, sheet="2025")
    assert result.messages() == [
        "The workbook has no sheet named '2025'. Its sheets: 'Deckblatt', 'Sachspenden 2024', "
        "'Sachspenden 2023', 'Leer'."
    ]


def test_missing_columns_say_which_sheet_was_read(tmp_path, affiliate, editor):
    wb = openpyxl.Workbook()
    wb.active.title = "Übersicht"
    wb.active.append(["Kategorie", "Wert"])
    wb.active.append(["Raum", 1200])
    wb.create_sheet("Liste").append(["Wer", "Wann", "Was"])
    wb.save(tmp_path / "two.xlsx")
    result = run_import(tmp_path / "two.xlsx", organization=affiliate, actor=editor)
    assert result.messages()[-1] == (
        "These columns were looked for on the sheet 'Übersicht'. The workbook's sheets: "
        "'Übersicht', 'Liste'; choose the one with the list."
    )
    assert "No column is mapped to 'Date'; map one." in result.messages()


@pytest.mark.usefixtures("directory")
def test_the_command_reads_the_sheet_it_is_told(workbooks, affiliate):
    path = str(workbooks["xlsx"])
    code, out, _err = command(path, "--organization", "WMTL", "--dry-run")
    assert code == 0
    assert "7 rows read" in out
    code, out, _err = command(path, "--organization", "WMTL", "--sheet", "Sachspenden 2023")
    assert code == 0
    assert "Imported 2 contributions" in out
    code, _out, err = command(path, "--organization", "WMTL", "--sheet", "Sachspenden 2022")
    assert code == 2
    assert "no sheet named 'Sachspenden 2022'" in err
    assert "'Sachspenden 2023'" in err


@pytest.mark.usefixtures("directory")
def test_the_mapping_page_offers_the_sheets_and_the_import_uses_the_one_chosen(
    client_for, editor, affiliate, workbooks
):
    client = client_for(editor)
    response = upload(client, affiliate, workbooks["xlsx"])
    job = ImportJob.objects.get()
    assert job.sheet == "Sachspenden 2024"
    assert "Wert (EUR)" in job.mapping
    page = client.get(response.url).content.decode()
    assert '<label class="cdx-label__label" for="id_sheet">' in page
    assert '<option value="Sachspenden 2024" selected>' in page
    assert '<option value="Deckblatt">' in page

    # choosing another sheet shows its columns and proposes their fields before checking anything
    url = reverse("imports:import_mapping", args=[job.pk])
    response = client.post(url, {"sheet": "Sachspenden 2023", "read_sheet": "1"})
    assert response.status_code == 302
    assert response.url == url
    job.refresh_from_db()
    assert (job.sheet, job.status) == ("Sachspenden 2023", ImportJob.Status.UPLOADED)
    assert job.headers == HEADER_2023
    assert set(job.mapping) == set(HEADER_2023)
    assert job.mapping["Wert"] == "value"
    page = client.get(url).content.decode()
    assert '<option value="Sachspenden 2023" selected>' in page
    # the columns in the file's order, on every database (jsonb keeps no key order)
    places = [page.index(f">{header}</label></th>") for header in HEADER_2023]
    assert places == sorted(places)

    columns = {f"col_{i}": job.mapping[header] for i, header in enumerate(job.headers)}
    response = client.post(url, {"sheet": "Sachspenden 2023", **columns})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.preview["rows"] == 2
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Read from the sheet “Sachspenden 2023”." in page
    client.post(reverse("imports:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert InKindContribution.objects.filter(date__year=2023).count() == 2
    assert InKindContribution.objects.count() == 2


def test_changing_the_sheet_with_the_old_columns_rereads_instead_of_checking(
    client_for, editor, affiliate, workbooks
):
    client = client_for(editor)
    upload(client, affiliate, workbooks["xlsx"])
    job = ImportJob.objects.get()
    url = reverse("imports:import_mapping", args=[job.pk])
    old_columns = {f"col_{i}": job.mapping[header] for i, header in enumerate(job.headers)}
    client.post(url, {"sheet": "Sachspenden 2023", **old_columns})
    job.refresh_from_db()
    assert (job.sheet, job.status) == ("Sachspenden 2023", ImportJob.Status.UPLOADED)
    # a sheet that cannot be read is refused on the page, which keeps the sheet it had
    response = client.post(url, {"sheet": "Leer", "read_sheet": "1"})
    assert response.status_code == 200
    assert "The sheet &#x27;Leer&#x27; has no rows: it is empty." in response.content.decode()
    response = client.post(url, {"sheet": "Sachspenden 2099", "read_sheet": "1"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    job.refresh_from_db()
    assert (job.sheet, job.status) == ("Sachspenden 2023", ImportJob.Status.UPLOADED)


def test_a_single_sheet_upload_shows_no_sheet_choice(client_for, editor, affiliate):
    client = client_for(editor)
    response = upload(client, affiliate, FILES / "sachspenden_2024.xlsx")
    assert ImportJob.objects.get().sheet == "Sachspenden 2024"
    assert 'name="sheet"' not in client.get(response.url).content.decode()


# ------------------------------------------------------------------ uploads nobody finished


def make_job(affiliate, status, *, days_ago: int, with_file: bool = True) -> ImportJob:
    job = ImportJob.objects.create(organization=affiliate, original_name="x.csv", status=status)
    if with_file:
        job.file.save("x.csv", ContentFile(b"Spender,Wert\nMuseum,1\n"))
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    job.refresh_from_db()
    return job


def test_stale_uploads_are_discarded_and_only_those(affiliate):
    status = ImportJob.Status
    stale = [make_job(affiliate, s, days_ago=8) for s in (status.UPLOADED, status.PREVIEWED)]
    stale.append(make_job(affiliate, status.FAILED, days_ago=30))
    recent = make_job(affiliate, status.PREVIEWED, days_ago=6)
    running = make_job(affiliate, status.IMPORTING, days_ago=8)
    done = make_job(affiliate, status.DONE, days_ago=1)
    paths = {job.pk: Path(job.file.path) for job in [*stale, recent, running, done]}

    out = StringIO()
    call_command("discard_stale_imports", stdout=out)
    assert "Discarded 3 stale uploads." in out.getvalue()
    for job in stale:
        job.refresh_from_db()
        assert (job.status, job.file.name) == (status.DISCARDED, "")
        assert not paths[job.pk].exists()
    for job, expected in ((recent, status.PREVIEWED), (running, status.IMPORTING)):
        job.refresh_from_db()
        assert job.status == expected
        assert paths[job.pk].is_file()
    done.refresh_from_db()
    assert (done.status, done.file.name) == (status.DONE, "")
    assert not paths[done.pk].exists()
    # nothing left to do the second time
    out = StringIO()
    call_command("discard_stale_imports", stdout=out)
    assert "Discarded 0 stale uploads." in out.getvalue()


def test_a_new_upload_discards_stale_ones(client_for, editor, affiliate):
    old = make_job(affiliate, ImportJob.Status.UPLOADED, days_ago=10)
    path = Path(old.file.path)
    upload(client_for(editor), affiliate, FILES / "sachspenden_2024.csv")
    old.refresh_from_db()
    assert old.status == ImportJob.Status.DISCARDED
    assert not path.exists()
    assert ImportJob.objects.filter(status=ImportJob.Status.UPLOADED).count() == 1
