"""An import writes in batches (other writers go between them), shows its progress as it writes,
publishes all rows at once, starts once however often it is confirmed, and a job whose worker
died is found and cleaned up."""

import datetime
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.directory.services import organization_create
from hub.funding.models import InKindContribution
from hub.imports import columns, jobs, tasks
from hub.imports import engine as importing
from hub.imports import stage as import_stage
from hub.imports.models import ImportJob, StagedContribution
from hub.imports.tests.test_import import HEADER, write_csv

CORPUS = Path(__file__).resolve().parents[3] / "hub" / "core" / "tests" / "corpus"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows(count: int) -> list[list[str]]:
    out = [HEADER]
    for i in range(count):
        donor = "Neue Spenderin GmbH" if i % 10 == 0 else "Testland Museum"
        out.append([donor, "01.03.2024", "Verpflegung", f"Kaffee {i}", "10,00", "EUR"])
    return out


def checked_job(affiliate, editor, path: Path, *, status=ImportJob.Status.PREVIEWED) -> ImportJob:
    job = ImportJob(
        organization=affiliate,
        created_by=editor,
        original_name=path.name,
        estimated_rows=sum(1 for _line in path.open()) - 1,
        status=status,
    )
    job.file.save(path.name, SimpleUploadedFile(path.name, path.read_bytes()), save=False)
    job.mapping = columns.proposed_mapping(HEADER, affiliate)
    job.save()
    return job


def in_another_thread(work):
    """Run `work` on a connection of its own, as another request would; return what it gave or
    raised."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = work()
        except Exception as exc:  # reported to the test, which fails on it
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return box


@pytest.mark.django_db(transaction=True)
def test_the_rows_are_written_in_batches_with_progress_and_published_at_once(
    affiliate, editor, tmp_path, settings
):
    OrganizationFactory(name="Testland Museum")
    settings.IMPORT_BATCH_ROWS = 40
    job = checked_job(affiliate, editor, write_csv(tmp_path / "many.csv", rows(300)))
    seen: list[dict] = []

    def look(n: int) -> dict:
        # what another request sees and can do while the import runs
        return {
            "progress": ImportJob.objects.get(pk=job.pk).progress,
            "visible": InKindContribution.objects.count(),
            "written": organization_create(actor=editor, name=f"Elsewhere {n}", kind="company").pk,
        }

    def observe(execute, sql, params, many, context):
        done = execute(sql, params, many, context)
        changes = sql.split("WHERE")[0]
        # the job's progress (not the update that marks it done, inside the publishing transaction)
        progress = "rows_done" in changes and "status" not in changes
        if sql.startswith("UPDATE") and ImportJob._meta.db_table in sql and progress:
            seen.append(in_another_thread(lambda: look(len(seen))))
        return done

    with connection.execute_wrapper(observe):
        tasks.start(job, tasks.IMPORT, editor)

    job.refresh_from_db()
    assert (job.status, job.progress, job.result["created"]) == (ImportJob.Status.DONE, 100, 300)
    assert [s for s in seen if "error" in s] == []
    progress = [s["value"]["progress"] for s in seen]
    assert progress == sorted(progress)
    assert len({p for p in progress if 0 < p < 100}) >= 5  # the bar moved while rows were written
    assert {s["value"]["visible"] for s in seen} == {0}  # nothing shows before the end
    assert Organization.objects.filter(name__startswith="Elsewhere ").count() == len(seen)
    assert InKindContribution.objects.count() == 300
    donor = Organization.objects.get(name="Neue Spenderin GmbH")
    assert InKindContribution.objects.filter(donor_organization=donor).count() == 30
    assert not StagedContribution.objects.exists()


def test_an_import_refused_after_some_batches_leaves_nothing(affiliate, editor, tmp_path):
    good = [["A", "01.03.2024", "Raum", "2", "Tage"] for _i in range(120)]
    path = write_csv(
        tmp_path / "late.csv",
        [
            ["Spender", "Datum", "Kategorie", "Menge", "Einheit"],
            *good,
            ["B", "01.03.2024", "Raum", "0", "Tage"],
        ],
    )
    organizations = Organization.objects.count()
    result = importing.run_import(
        path, organization=affiliate, actor=editor, write=True, batch_size=50
    )
    assert not result.imported
    assert "row 122" in " ".join(result.messages())
    assert not InKindContribution.objects.exists()
    assert not StagedContribution.objects.exists()
    assert Organization.objects.count() == organizations  # the new donor was not added either


def test_a_second_confirm_of_a_job_already_taken_imports_nothing_and_is_told(
    affiliate, editor, tmp_path
):
    OrganizationFactory(name="Testland Museum")
    job = checked_job(affiliate, editor, write_csv(tmp_path / "three.csv", rows(3)))
    second = ImportJob.objects.get(pk=job.pk)  # what the other request read: "checked"
    tasks.start(job, tasks.IMPORT, editor)
    with pytest.raises(jobs.AlreadyRunning):
        tasks.start(second, tasks.IMPORT, editor)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE  # the first's outcome stands
    assert (job.result["created"], job.result["already_imported"]) == (3, 0)
    assert InKindContribution.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_confirm_that_loses_the_race_says_so_on_the_page(affiliate, editor, tmp_path, client_for):
    OrganizationFactory(name="Testland Museum")
    job = checked_job(affiliate, editor, write_csv(tmp_path / "three.csv", rows(3)))
    claims = []

    def other_request_first(execute, sql, params, many, context):
        # the other request's claim lands just before this one's (both saw the file "checked")
        if sql.startswith("UPDATE") and ImportJob._meta.db_table in sql and not claims:
            claims.append(
                in_another_thread(
                    lambda: ImportJob.objects.filter(pk=job.pk).update(
                        status=ImportJob.Status.IMPORTING
                    )
                )
            )
        return execute(sql, params, many, context)

    client = client_for(editor)
    with connection.execute_wrapper(other_request_first):
        response = client.post(reverse("imports:import_confirm", args=[job.pk]), follow=True)
    assert claims == [{"value": 1}]
    assert "This file is already being imported" in response.content.decode()
    assert not InKindContribution.objects.exists()  # this request wrote nothing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING  # the other one's, untouched


def stale_running_job(affiliate, editor, tmp_path, task_status) -> ImportJob:
    """A job its worker took and then stopped writing to, with a batch staged."""
    job = checked_job(
        affiliate, editor, write_csv(tmp_path / "x.csv", rows(3)), status=ImportJob.Status.IMPORTING
    )
    queued = tasks.process_import_job.enqueue(job.pk, tasks.IMPORT, editor.pk)  # the DB backend
    result = DBTaskResult.objects.get(pk=queued.id)
    if task_status == TaskResultStatus.RUNNING:
        result.claim("worker-1")  # as db_worker does when it takes the task
    StagedContribution.objects.create(
        run=import_stage.job_run(job.pk),
        receiving_organization=affiliate,
        donor_name="A",
        date=datetime.date(2024, 3, 1),
        category="catering",
        value=10,
        currency="EUR",
        valuation_method="fair_market_value",
    )
    three_minutes_ago = timezone.now() - datetime.timedelta(minutes=3)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.pk), updated_at=three_minutes_ago)
    return job


def test_a_job_whose_worker_was_killed_is_shown_failed_and_its_batches_go(
    affiliate, editor, tmp_path, client_for
):
    job = stale_running_job(affiliate, editor, tmp_path, TaskResultStatus.RUNNING)
    page = client_for(editor).get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportJob.Status.FAILED, 100)
    assert "its worker ended" in page
    assert reverse("imports:import_mapping", args=[job.pk]) in page  # check it again to retry
    assert not StagedContribution.objects.exists()


def test_a_job_waiting_in_the_queue_is_not_stale(affiliate, editor, tmp_path, client_for):
    job = stale_running_job(affiliate, editor, tmp_path, TaskResultStatus.READY)
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client_for(editor).get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING
    assert "<progress" in page


def test_a_task_queued_under_its_former_path_still_finds_the_task():
    # django_tasks_db stores the dotted path; rows queued before the import had its own package
    # name hub.funding.tasks, and the worker imports that path to run them
    assert import_string("hub.funding.tasks.process_import_job") is tasks.process_import_job
    assert tasks.process_import_job.module_path == "hub.imports.tasks.process_import_job"
