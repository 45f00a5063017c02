"""The hostile-file corpus (hub/core/tests/corpus) through each record kind: partnerships,
organizations and grants. Every file, previewed and imported directly and uploaded on the kind's
page: never an exception or a 500, a clear fatal message or problems, nothing written by a
preview or a refusal, and no file left in MEDIA_ROOT without its job."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.grants.models import Grant
from hub.imports.kinds import get_kind
from hub.imports.models import ImportedRecord, ImportJob, StagedRecord
from hub.imports.tests.test_import_views import CORPUS
from hub.partnerships.models import Participant, Partnership

pytestmark = pytest.mark.django_db

FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".py")
KINDS = ["partnerships", "organizations", "grants"]
# What a person could map a hostile file's columns to, in order: every needed field first, so
# the rows themselves go through the kind's reading, not only its header check.
FORCED = {
    "partnerships": ["title", "partners", "goals", "status", "start_date", "end_date"],
    "organizations": ["name", "kind", "country", "website", "short_code", "wikidata_id"],
    "grants": ["title", "funder", "amount", "currency", "period_start", "period_end"],
}
# What a message about the file or a row says where to look.
PLACES = ("row", "file", "column", "sheet", "macro", "cells", "map one", "header")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


def written() -> dict[str, int]:
    """How many records of every model an import of these kinds writes."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            Partnership,
            Participant,
            Grant,
            ImportedRecord,
            StagedRecord,
            HistoryEntry,
        )
    }


def forced_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    return dict(zip([h for h in headers if h], FORCED[kind], strict=False))


def assert_clear(result) -> None:
    messages = result.messages()
    assert result.ok or messages
    for message in messages:
        assert any(place in message.casefold() for place in PLACES), message


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_hostile_file_previews_clearly_and_writes_nothing(kind, name, affiliate, editor):
    before = written()
    run = get_kind(kind).run
    proposed = run(CORPUS / name, organization=affiliate, actor=editor, name=name)
    assert_clear(proposed)
    assert proposed.fatal or proposed.problems or proposed.valid_rows or not proposed.rows
    if proposed.headers:
        forced = run(
            CORPUS / name,
            organization=affiliate,
            actor=editor,
            name=name,
            mapping=forced_mapping(kind, proposed.headers),
        )
        assert_clear(forced)
    assert written() == before


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_hostile_file_imports_all_or_nothing(kind, name, affiliate, editor):
    before = written()
    result = get_kind(kind).run(
        CORPUS / name, organization=affiliate, actor=editor, name=name, write=True
    )
    assert_clear(result)
    assert not StagedRecord.objects.exists()  # staged rows never outlive their run
    if not result.imported:
        assert written() == before


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def job_files() -> set[Path]:
    return {Path(job.file.path) for job in ImportJob.objects.all() if job.file}


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_hostile_file_uploaded_on_the_kinds_page(
    kind, name, affiliate, editor, client_for, settings
):
    client = client_for(editor)
    before = written()
    response = client.post(
        reverse("imports:import_kind_upload", args=[kind]),
        {
            "organization": affiliate.pk,
            "file": SimpleUploadedFile(name, (CORPUS / name).read_bytes()),
            "default_currency": "EUR",
            "day_first": "1",
        },
    )
    assert response.status_code in (200, 302)
    media = Path(settings.MEDIA_ROOT)
    assert files_under(Path(settings.FILE_UPLOAD_TEMP_DIR)) == set()
    if response.status_code == 200:  # refused on the form, saying why
        assert 'class="cdx-message' in response.content.decode() or "errorlist" in (
            response.content.decode()
        )
        assert not ImportJob.objects.exists()
        assert files_under(media) == set()
        return
    job = ImportJob.objects.get()
    assert job.kind == kind
    assert files_under(media) == job_files()
    assert client.get(response.url).status_code == 200
    # check the rows with the needed fields mapped to the file's first columns
    targets = dict.fromkeys(job.headers, "")
    targets.update(forced_mapping(kind, job.headers))
    mapped = client.post(
        reverse("imports:import_mapping", args=[job.pk]),
        {f"col_{i}": targets[header] for i, header in enumerate(job.headers)},
    )
    assert mapped.status_code in (200, 302)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    said = (job.preview.get("fatal") or job.preview.get("problems") or [])[:1]
    for message in said:  # the page says what is wrong
        assert escape(message) in page.content.decode()
    assert written() == before
    assert files_under(media) == job_files()
