"""A file whose header the hub cannot recognize (its columns all renamed, or no header at all) is
refused at the upload and by the pass, naming what the kind needs and what the first row holds,
rather than taking a data row as the header and checking "0 rows, no problem"."""

import csv
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.imports.kinds import get_kind
from hub.imports.models import ColumnMapping, ImportJob

pytestmark = pytest.mark.django_db

# a data row of each kind, as a file without its header would begin
DATA: dict[str, list[object]] = {
    "contributions": ["Stadtmuseum Testland", "2024-02-01", "Raum", 1200],
    "partnerships": ["Schreibwerkstatt 2024", "NLT (host)", "content", "active"],
    "organizations": ["Städtisches Museum Graz", "museum", "AT", "https://museum.example"],
    "grants": ["Reisekosten Konferenz", "Stiftung Beispiel", 5000, "EUR"],
}
NEEDED = {  # a column each kind's message names
    "contributions": "'date'",
    "partnerships": "'title'",
    "organizations": "'name'",
    "grants": "'amount'",
}
NONSENSE = ["Spalte Eins", "Feld Zwo", "Xyzzy", "Quux"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def write(path: Path, rows) -> Path:
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return path


def upload_url(kind: str) -> str:
    if kind == "contributions":
        return reverse("imports:import_upload")
    return reverse("imports:import_kind_upload", args=[kind])


def post(client, kind: str, path: Path, affiliate):
    return client.post(
        upload_url(kind),
        {
            "organization": affiliate.pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "default_currency": "EUR",
            "day_first": "1",
        },
    )


def shapes(kind: str):
    data = DATA[kind]
    return {
        "renamed": [NONSENSE, data],
        "no header": [data, [*data[:1], "x", *data[2:]]],
    }


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("shape", ["renamed", "no header"])
@pytest.mark.parametrize("kind", list(DATA))
def test_a_file_without_a_known_header_is_refused_at_the_upload(
    kind, shape, suffix, tmp_path, client_for, editor, affiliate
):
    path = write(tmp_path / f"list{suffix}", shapes(kind)[shape])
    response = post(client_for(editor), kind, path, affiliate)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1, errors
    (error,) = errors
    assert error.startswith("No row of the file looks like the header of a list of ")
    assert NEEDED[kind] in error
    assert str(get_kind(kind).needed) in error
    first = shapes(kind)[shape][0]
    assert f"The first row (row 1) holds: '{first[0]}', '{first[1]}'" in error


@pytest.mark.parametrize("kind", list(DATA))
def test_the_pass_refuses_it_too_as_the_command_reads_it(kind, tmp_path, editor, affiliate):
    path = write(tmp_path / "list.csv", shapes(kind)["renamed"])
    result = get_kind(kind).run(path, organization=affiliate, actor=editor)
    assert result.rows == 0
    (message,) = result.messages()
    assert message.startswith("No row of the file looks like the header")
    assert "'Spalte Eins', 'Feld Zwo', 'Xyzzy', 'Quux'" in message


def test_a_mapping_given_for_the_headers_reads_the_file(tmp_path, editor, affiliate):
    path = write(tmp_path / "list.csv", [NONSENSE[:3], ["Schreibwerkstatt", "NLT", "content"]])
    mapping = {"Spalte Eins": "title", "Feld Zwo": "partners", "Xyzzy": "goals"}
    result = get_kind("partnerships").run(
        path, organization=affiliate, actor=editor, mapping=mapping
    )
    assert result.ok, result.messages()
    assert result.valid_rows == 1


def test_a_remembered_mapping_for_the_headers_lets_the_upload_through(
    tmp_path, client_for, editor, affiliate
):
    ColumnMapping.objects.create(
        organization=affiliate,
        kind="partnerships",
        mapping={"spalte eins": "title", "feld zwo": "partners", "xyzzy": "goals"},
    )
    path = write(tmp_path / "list.csv", [NONSENSE[:3], ["Schreibwerkstatt", "NLT", "content"]])
    response = post(client_for(editor), "partnerships", path, affiliate)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.mapping == {"Spalte Eins": "title", "Feld Zwo": "partners", "Xyzzy": "goals"}


def test_a_header_with_one_known_name_among_unknown_ones_is_still_mapped(
    tmp_path, client_for, editor, affiliate
):
    path = write(tmp_path / "list.csv", [["Titel", "Feld Zwo", "Xyzzy"], ["A", "NLT", "content"]])
    response = post(client_for(editor), "partnerships", path, affiliate)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.mapping == {"Titel": "title", "Feld Zwo": "", "Xyzzy": ""}
    page = client_for(editor).get(response.url)
    assert page.status_code == 200
