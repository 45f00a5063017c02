"""Uploads of hostile and large workbooks: refused before anything is stored, estimated from the
rows they hold, and no file left on disk without its job."""

import datetime
import os
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files import File
from django.urls import reverse
from openpyxl import Workbook

from hub.core.tabular import count_rows
from hub.imports import jobs
from hub.imports.engine import estimate_rows
from hub.imports.models import ImportJob
from hub.imports.tests.test_import import command, directory  # noqa: F401 (a fixture)
from hub.imports.tests.test_import_views import CORPUS, mapping_post, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def no_dimension(tmp_path) -> Path:
    """20,000 rows written by openpyxl's write-only mode, which writes no <dimension>."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Spenden")
    sheet.append(["Spender", "Datum", "Kategorie", "Wert", "Währung"])
    for n in range(20_000):
        sheet.append([f"Museum {n % 50}", datetime.date(2024, 1, 1), "Raum", n + 1, "EUR"])
    path = tmp_path / "spenden.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("range_cv300000.xlsx", "The sheet &#x27;Data&#x27; spans 30,000,000 cells"),
        ("sheets_together.ods", "span 6,003,000 cells together"),
        ("mixed_encoding.csv", "line 1 is UTF-8, line 4 is not"),
    ],
)
def test_a_refused_upload_leaves_no_file_and_no_job(
    client_for, editor, affiliate, settings, name, phrase
):
    response = upload(client_for(editor), affiliate, CORPUS / name)
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert not ImportJob.objects.exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    assert files_under(Path(settings.FILE_UPLOAD_TEMP_DIR)) == []


def test_an_accepted_upload_is_stored_once_with_its_job(client_for, editor, affiliate, settings):
    upload(client_for(editor), affiliate, CORPUS / "lying_dimension.xlsx")
    job = ImportJob.objects.get()
    assert files_under(Path(settings.MEDIA_ROOT)) == [Path(job.file.path)]
    assert files_under(Path(settings.FILE_UPLOAD_TEMP_DIR)) == []
    assert job.estimated_rows == 4  # the rows it holds, not the 1,048,576 it claims


def test_a_workbook_without_dimension_is_estimated_from_its_rows_and_goes_to_the_worker(
    client_for, editor, affiliate, settings, no_dimension
):
    assert b"<dimension" not in _sheet_xml(no_dimension)
    assert estimate_rows(no_dimension, "xlsx", "Spenden") == 20_001
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client = client_for(editor)
    upload(client, affiliate, no_dimension)
    job = ImportJob.objects.get()
    assert job.estimated_rows == 20_001
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING  # queued, not checked in the request


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_an_ods_file_is_estimated_from_the_rows_holding_cells():
    # rows 1, 2 (titles), 4 (header), 5-10 and 12 (the total) hold cells; 3 and 11 are blank
    assert count_rows(CORPUS / "office.ods", "ods", "Sachspenden 2024") == 10
    # LibreOffice pads the sheet to its edge with a million empty rows: they are not counted
    assert estimate_rows(CORPUS / "edge_padding.ods", "ods") == 2


def test_stale_uploads_cleanup_deletes_files_no_job_names(editor, affiliate, settings):
    folder = Path(settings.MEDIA_ROOT) / "imports" / str(affiliate.pk)
    folder.mkdir(parents=True)
    orphan, recent = folder / "orphan.xlsx", folder / "recent.xlsx"
    for path in (orphan, recent):
        path.write_bytes(b"PK")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(orphan, (week_ago, week_ago))
    job = ImportJob.objects.create(
        organization=affiliate, created_by=editor, original_name="kept.csv", file=""
    )
    with open(CORPUS / "utf8.csv", "rb") as handle:
        job.file.save("kept.csv", File(handle))
    kept = Path(job.file.path)
    os.utime(kept, (week_ago, week_ago))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    jobs.discard_stale_uploads()
    assert not orphan.exists()
    assert recent.exists()  # perhaps being stored right now, with its job about to be saved
    assert kept.exists()


@pytest.mark.usefixtures("directory")
def test_the_command_refuses_a_range_bomb_as_unusable(affiliate):
    code, out, err = command(str(CORPUS / "range_cv300000.xlsx"), "--organization", "WMTL")
    assert (code, out) == (2, "")
    assert "The sheet 'Data' spans 30,000,000 cells (A1 to CV300000" in err
