"""The import pages through the test client: upload, map, preview, confirm, discard, progress."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hub.funding.models import InKindContribution
from hub.imports import columns, tasks
from hub.imports import engine as importing
from hub.imports.models import ColumnMapping, ImportJob
from hub.imports.tests.test_import import directory  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "import_files"
CORPUS = Path(__file__).resolve().parents[3] / "hub" / "core" / "tests" / "corpus"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def museum(request):
    return request.getfixturevalue("directory")["museum"]


def upload(client, affiliate, path: Path, **extra):
    data = {
        "organization": affiliate.pk,
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "default_currency": "eur",
        "day_first": "1",
        **extra,
    }
    return client.post(reverse("imports:import_upload"), data)


def mapping_post(job):
    return {f"col_{i}": job.mapping[header] for i, header in enumerate(job.headers)}


def test_upload_map_preview_confirm(client_for, editor, affiliate, museum):
    client = client_for(editor)
    response = upload(client, affiliate, FILES / "sachspenden_2024_fehler.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:import_mapping", args=[job.pk])
    assert job.default_currency == "EUR"
    assert Path(job.file.path).is_file()
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'value="value" selected' in page.content.decode()

    response = client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.PREVIEWED
    remembered = ColumnMapping.objects.get(organization=affiliate).mapping
    assert remembered["wert eur"] == "value"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "row 7, column &#x27;Wert (EUR)&#x27;: &#x27;12,5.0&#x27; is not a number." in page
    assert "5 rows will be added; 2 have problems and are skipped." in page
    assert ">Add 5 rows</button>" in page
    assert "Музей истории Киева" not in page  # its only row has a problem, so it is not new

    # confirming without choosing to skip writes nothing
    response = client.post(reverse("imports:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert InKindContribution.objects.count() == 0

    response = client.post(reverse("imports:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["created"] == 5
    assert InKindContribution.objects.filter(receiving_organization=affiliate).count() == 5
    assert not job.file  # the upload is not kept once imported
    page = client.get(job.get_absolute_url()).content.decode()
    assert "5 contributions were imported." in page


def test_the_corrected_file_is_mapped_from_memory_and_adds_only_what_is_missing(
    client_for, editor, affiliate, museum
):
    client = client_for(editor)
    importing.import_file(
        FILES / "sachspenden_2024_fehler.xlsx", affiliate, editor, skip_invalid=True
    )
    columns.remember_mapping(actor=editor, organization=affiliate, mapping={"Bewertung": ""})
    upload(client, affiliate, FILES / "sachspenden_2024.xlsx")
    job = ImportJob.objects.get()
    assert job.mapping["Bewertung"] == ""
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert (job.preview["valid_rows"], job.preview["already_imported"]) == (7, 5)
    client.post(reverse("imports:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (ImportJob.Status.DONE, 2)


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("html_as.xlsx", "web page (HTML)"),
        ("zip_bomb.xlsx", "zip bomb"),
        ("macro.xlsm", "macros"),
        ("duplicate_headers.csv", "appears twice"),
    ],
)
def test_a_hostile_upload_is_refused_on_the_form_and_not_kept(
    client_for, editor, affiliate, name, phrase, settings
):
    response = upload(client_for(editor), affiliate, CORPUS / name)
    assert response.status_code == 200
    assert phrase in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))


def test_the_upload_limit_is_checked_before_reading(client_for, editor, affiliate, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = upload(client_for(editor), affiliate, FILES / "sachspenden_2024.csv")
    assert "the hub reads files up to" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_same_field_cannot_be_fed_by_two_columns(client_for, editor, affiliate):
    client = client_for(editor)
    upload(client, affiliate, CORPUS / "utf8.csv")
    job = ImportJob.objects.get()
    data = mapping_post(job)
    data["col_3"] = "value"  # Beschreibung as a second value column
    response = client.post(reverse("imports:import_mapping", args=[job.pk]), data)
    assert response.status_code == 200
    assert "is already fed by the column" in response.content.decode()


def test_an_editor_cannot_upload_for_another_organization(client_for, editor, other_affiliate):
    response = upload(client_for(editor), other_affiliate, CORPUS / "utf8.csv")
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_a_large_file_goes_to_the_background_and_shows_progress(
    client_for, editor, affiliate, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(tasks, "BACKGROUND_ROWS", 2)
    client = client_for(editor)
    upload(client, affiliate, CORPUS / "utf8.csv")
    job = ImportJob.objects.get()
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<progress" in page
    assert "every 1s" in page
    fragment = client.get(
        reverse("imports:import_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert "<progress" in fragment.content.decode()
    # the worker runs the task; then the poll tells the page to reload
    tasks.run_job(job.pk, tasks.PREVIEW, editor.pk)
    job.refresh_from_db()
    assert (job.status, job.progress, job.preview["valid_rows"]) == (
        ImportJob.Status.PREVIEWED,
        100,
        3,
    )
    done = client.get(
        reverse("imports:import_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert done["HX-Redirect"] == job.get_absolute_url()


def test_the_background_task_runs_through_the_task_backend(editor, affiliate, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    job = ImportJob(
        organization=affiliate,
        created_by=editor,
        original_name="utf8.csv",
        estimated_rows=10**6,
        status=ImportJob.Status.PREVIEWED,  # an import starts from a checked file
    )
    job.file.save(
        "x.csv", SimpleUploadedFile("x.csv", (CORPUS / "utf8.csv").read_bytes()), save=False
    )
    job.mapping = columns.proposed_mapping(
        ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"], affiliate
    )
    job.save()
    assert tasks.start(job, tasks.IMPORT, editor) is True
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (ImportJob.Status.DONE, 3)


def test_discard_removes_the_upload(client_for, editor, affiliate):
    client = client_for(editor)
    upload(client, affiliate, CORPUS / "utf8.csv")
    job = ImportJob.objects.get()
    path = Path(job.file.path)
    response = client.post(reverse("imports:import_discard", args=[job.pk]))
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.DISCARDED
    assert not path.exists()


def test_a_job_whose_worker_died_is_marked_failed_and_can_be_checked_again(
    client_for, editor, affiliate, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(tasks, "BACKGROUND_ROWS", 2)
    client = client_for(editor)
    upload(client, affiliate, CORPUS / "utf8.csv")
    job = ImportJob.objects.get()
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    # queued, and still running a moment later: not stale
    assert "<progress" in client.get(job.get_absolute_url()).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - ImportJob.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    page = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "its worker ended" in page
    assert reverse("imports:import_mapping", args=[job.pk]) in page
    # the file is still there: checking it again starts the work anew
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJob.Status.PREVIEWING, "")
    tasks.run_job(job.pk, tasks.PREVIEW, editor.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED


def _confirm_part(page: str) -> str:
    return page.split("<h2>Confirm</h2>")[1].split("</main>")[0]


def test_confirm_says_exactly_what_will_be_added_and_is_the_primary_action(
    client_for, editor, affiliate, museum
):
    client = client_for(editor)
    importing.import_file(
        FILES / "sachspenden_2024_fehler.xlsx", affiliate, editor, skip_invalid=True
    )
    upload(client, affiliate, FILES / "sachspenden_2024.xlsx")
    job = ImportJob.objects.get()
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    part = _confirm_part(client.get(job.get_absolute_url()).content.decode())
    assert "2 rows will be added; 5 were already imported and are skipped." in part
    buttons = re.findall(r'<button class="([^"]+)" type="submit">([^<]+)</button>', part)
    assert buttons == [
        ("cdx-button cdx-button--action-progressive cdx-button--weight-primary", "Add 2 rows"),
        ("cdx-button cdx-button--weight-quiet", "Discard this file"),
    ]
    assert "destructive" not in part
    client.post(reverse("imports:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.result["created"] == 2


def test_confirm_offers_no_import_when_nothing_is_new(client_for, editor, affiliate, museum):
    client = client_for(editor)
    importing.import_file(
        FILES / "sachspenden_2024_fehler.xlsx", affiliate, editor, skip_invalid=True
    )
    upload(client, affiliate, FILES / "sachspenden_2024_fehler.xlsx")
    job = ImportJob.objects.get()
    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    part = _confirm_part(client.get(job.get_absolute_url()).content.decode())
    assert (
        "No row will be added; 5 were already imported and are skipped; "
        "2 have problems and are skipped." in part
    )
    assert "Add " not in part
    assert reverse("imports:import_confirm", args=[job.pk]) not in part


@pytest.mark.parametrize(
    ("kind", "asks"), [("partnerships", False), ("organizations", False), ("grants", True)]
)
def test_only_a_kind_with_amounts_asks_for_a_currency(
    client_for, editor, affiliate, tmp_path, kind, asks
):
    client = client_for(editor)
    page = client.get(f"/import/{kind}/").content.decode()
    assert ("Currency of values that name none" in page) is asks
    if asks:
        return
    path = tmp_path / "list.csv"
    path.write_text("title,partners,goals,name\nX,NLT,content,Y\n", encoding="utf-8")
    data = {
        "organization": affiliate.pk,
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "day_first": "1",
    }
    response = client.post(f"/import/{kind}/", data)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:import_mapping", args=[job.pk])
