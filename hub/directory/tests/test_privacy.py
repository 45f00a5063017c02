"""Exporting and erasing a contact person's data: records, history and every other store."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from hub.core.models import HistoryEntry
from hub.core.testing.dbscan import find_in_database
from hub.directory import services
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Person
from hub.imports.models import ImportJob
from hub.imports.tasks import process_import_job
from hub.partnerships import services as partnership_services
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

NAME = "Zorbulon Quixtamere"
OLD_NAME = "Zorbulon Quixt"
EMAIL = "zq-7731@museum.example.org"
OLD_EMAIL = "quixt.private@example.net"
PHONE = "+43 555 019 7731"
CONSENT = "Agreed at the Glamcamp 7731 by e-mail"
SECRETS = (NAME, OLD_NAME, EMAIL, OLD_EMAIL, PHONE, CONSENT)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(organization, user, name: str, content: bytes) -> ImportJob:
    job = ImportJob(organization=organization, created_by=user, original_name=name)
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    return job


@pytest.fixture
def museum(db):
    return OrganizationFactory(name="Kunsthaus Privacy")


@pytest.fixture
def person(manager, editor, affiliate, museum):
    person = services.person_create(
        actor=editor,
        organization=museum,
        steward=affiliate,
        name=OLD_NAME,
        email=OLD_EMAIL,
        phone="+43 555 000 0000",
        consent_note=CONSENT,
    )
    services.person_update(actor=editor, person=person, name=NAME, role="Curator")
    services.person_update(actor=manager, person=person, email=EMAIL, phone=PHONE)
    return person


@pytest.fixture
def linked(person, manager, affiliate, museum, staff, client_for):
    """The person named in a partnership, the museum's history, an import, the admin's log."""
    partnership = make_partnership(lead=affiliate, partners=[museum], title="Scanning week")
    partnership_services.partnership_update(
        actor=manager,
        partnership=partnership,
        expected_version=partnership.version,
        description=f"Our contact is {NAME} ({EMAIL}, {PHONE}).",
    )
    services.organization_update(
        actor=staff, organization=museum, description=f"Ask {OLD_NAME} at {OLD_EMAIL}."
    )
    ImportJob.objects.create(
        organization=affiliate,
        created_by=manager,
        original_name="contacts.csv",
        preview={"rows": [{"line": 2, "description": f"Met {NAME}"}]},
    )
    # A queued task whose arguments name the person, and a session that holds their name.
    process_import_job.enqueue(0, f"preview for {NAME}", manager.pk)
    session = SessionStore()
    session["draft"] = {"name": NAME}
    session.create()
    admin = client_for(staff)
    response = admin.post(
        reverse("admin:directory_person_change", args=[person.pk]),
        {
            "organization": museum.pk,
            "steward": affiliate.pk,
            "name": NAME,
            "role": "Curator",
            "email": EMAIL,
            "phone": PHONE,
            "consent_note": CONSENT,
        },
    )
    assert response.status_code == 302, response.content
    assert LogEntry.objects.filter(object_repr=NAME).exists()
    return partnership


def test_export_holds_the_record_and_its_history_as_json_and_csv(person, manager, client_for):
    client = client_for(manager)
    response = client.get(reverse("directory:person_export", args=[person.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    record = data["records"][0]
    assert record["fields"]["name"] == NAME
    assert record["fields"]["consent_note"] == CONSENT
    assert [e["action"] for e in record["history"]] == ["create", "change", "change"]
    assert record["history"][1]["changes"]["name"] == [OLD_NAME, NAME]
    assert record["history"][2]["actor"] == "manager"
    assert "mentions" not in data  # only staff see where else the hub names them

    response = client.get(reverse("directory:person_export", args=[person.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    facts = {(row["field"], row["value"]) for row in rows}
    assert ("name", NAME) in facts
    assert ("name (before)", OLD_NAME) in facts
    assert ("email (before)", OLD_EMAIL) in facts
    assert all(row["record"] == f"contact person #{person.pk}" for row in rows)
    assert all(row["when"] for row in rows)


def test_staff_export_lists_other_records_that_name_the_person(linked, person, staff):
    data = services.person_export(actor=staff, person=person)
    records = {m["record"] for m in data["mentions"]}
    assert f"partnerships.partnership #{linked.pk}" in records
    assert f"directory.organization #{person.organization_id}" in records
    assert any(r.startswith("admin.logentry #") for r in records)
    assert any(r.startswith("imports.importjob #") for r in records)


def test_erasure_leaves_the_persons_data_nowhere_in_the_database(
    linked, person, manager, client_for
):
    assert {needle for _t, _c, needle in find_in_database(*SECRETS)} == set(SECRETS)
    entries = HistoryEntry.objects.count()
    partnership_entries = HistoryEntry.objects.for_object(linked).count()
    person_entries = HistoryEntry.objects.for_object(person).count()

    client = client_for(manager)
    page = client.get(reverse("directory:person_erase", args=[person.pk]))
    assert "What is kept" in page.content.decode()
    response = client.post(reverse("directory:person_erase", args=[person.pk]))
    assert response.status_code == 302

    assert find_in_database(*SECRETS) == []
    assert DBTaskResult.objects.get().args_kwargs["args"][1] == "preview for [erased]"
    assert not any(NAME in str(s.get_decoded()) for s in Session.objects.all())
    person.refresh_from_db()
    assert person.erased_at is not None
    assert str(person) == "erased contact"
    linked.refresh_from_db()
    assert linked.description == "Our contact is [erased] ([erased], [erased])."
    assert HistoryEntry.objects.for_object(linked).count() == partnership_entries + 1
    own = list(HistoryEntry.objects.for_object(person).order_by("at", "pk"))
    assert len(own) == person_entries + 1
    assert [e.action for e in own[:3]] == ["create", "change", "change"]
    assert own[1].changes == {"name": ["[erased]", "[erased]"], "role": ["", "[erased]"]}
    assert own[0].object_repr == "erased contact"
    erase = own[-1]
    assert erase.action == HistoryEntry.Action.ERASE
    assert erase.actor == manager
    assert HistoryEntry.objects.count() > entries


def test_erasure_deletes_stored_uploads_that_hold_the_persons_data(
    person, manager, affiliate, museum
):
    """Uploads waiting for their import keep the spreadsheet on disk: one naming the person goes
    (found in a CSV in UTF-16, and in an XLSX's compressed XML); another stays."""
    named_csv = _upload(
        affiliate,
        manager,
        "a.csv",
        f"donor,contact\n{museum.name},{NAME.upper()}\n".encode("utf-16"),
    )
    named_xlsx = _upload(affiliate, manager, "b.xlsx", _xlsx(["contact"], [f"Mail {OLD_EMAIL}"]))
    other = _upload(affiliate, manager, "c.xlsx", _xlsx(["contact"], ["Someone Else"]))
    paths = [Path(job.file.path) for job in (named_csv, named_xlsx, other)]
    assert all(path.exists() for path in paths)

    services.person_erase(actor=manager, person=person)

    assert [path.exists() for path in paths] == [False, False, True]
    for job in (named_csv, named_xlsx):
        job.refresh_from_db()
        assert (job.file.name, job.status) == ("", ImportJob.Status.DISCARDED)
    other.refresh_from_db()
    assert other.status == ImportJob.Status.UPLOADED


def test_erasure_finds_names_with_other_letters_in_any_case(manager, editor, affiliate, museum):
    name, email = "Žofia Ångström-Øby", "zofia.aby@muzeum.example"
    person = services.person_create(
        actor=editor,
        organization=museum,
        steward=affiliate,
        name=name,
        email=email,
        consent_note="Ústně",
    )
    services.organization_update(
        actor=manager, organization=museum, description=f"Contact: {name.upper()}."
    )
    services.organization_update(actor=manager, organization=museum, description="Ask ŽOFIA.")
    assert len(find_in_database(name, email)) >= 4

    services.person_erase(actor=manager, person=person)

    assert find_in_database(name, email) == []
    museum.refresh_from_db()
    assert museum.description == "Ask ŽOFIA."


def test_deleting_a_contact_in_the_admin_erases_its_data_first(linked, person, staff, client_for):
    response = client_for(staff).post(
        reverse("admin:directory_person_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert find_in_database(*SECRETS) == []
    assert HistoryEntry.objects.filter(object_repr="erased contact").exists()


def test_erasure_is_for_managers_of_the_keeping_organization(person, editor, viewer, outsider):
    for user in (editor, viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.person_erase(actor=user, person=person)
        with pytest.raises(PermissionDenied):
            services.person_export(actor=user, person=person)
    assert Person.objects.get(pk=person.pk).name == NAME


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("viewer", 403), ("editor", 403), ("manager", 200), ("staff", 200)],
)
def test_export_and_erase_pages_answer_by_persona(request, person, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("directory:person_export", args=[person.pk, "csv"]),
        reverse("directory:person_erase", args=[person.pk]),
    ):
        assert client.get(url).status_code == status


def test_an_unknown_export_format_is_not_found(person, manager, client_for):
    url = reverse("directory:person_export", args=[person.pk, "xml"])
    assert client_for(manager).get(url).status_code == 404


def test_the_contact_page_offers_export_and_erasure_to_its_managers(
    person, manager, editor, client_for
):
    url = reverse("directory:person_edit", args=[person.pk])
    page = client_for(manager).get(url).content.decode()
    assert reverse("directory:person_erase", args=[person.pk]) in page
    assert reverse("directory:person_export", args=[person.pk, "csv"]) in page
    page = client_for(editor).get(url).content.decode()
    assert reverse("directory:person_erase", args=[person.pk]) not in page


def test_an_erased_contact_is_no_longer_edited_or_erased_again(person, manager, client_for):
    services.person_erase(actor=manager, person=person)
    client = client_for(manager)
    assert client.get(reverse("directory:person_edit", args=[person.pk])).status_code == 404
    response = client.post(reverse("directory:person_erase", args=[person.pk]), follow=True)
    assert "already been erased" in response.content.decode()
    assert HistoryEntry.objects.for_object(person).filter(action="erase").count() == 1


def test_erasure_withdraws_published_open_data_that_names_the_person(
    person, manager, affiliate, museum, client_for, django_capture_on_commit_callbacks
):
    """The dumps are files, not rows: one built while a public description named the person stops
    being served at the erasure, and the rebuild it queues writes it again without them."""
    from hub.api import opendata
    from hub.api.tasks import rebuild_open_data

    services.organization_update(
        actor=manager, organization=museum, description=f"Ask {NAME} in room 7731."
    )
    opendata.build()
    url = reverse("apisite:open_data_file", args=["organizations.csv"])
    assert NAME in b"".join(client_for(None).get(url).streaming_content).decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.person_erase(actor=manager, person=person)

    assert client_for(None).get(url).status_code == 404
    queued = DBTaskResult.objects.filter(task_path=rebuild_open_data.module_path)
    assert queued.count() == 1
    rebuild_open_data.call()
    text = b"".join(client_for(None).get(url).streaming_content).decode()
    assert "Ask [erased] in room 7731." in text
