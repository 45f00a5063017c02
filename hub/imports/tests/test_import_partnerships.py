"""The partnerships import (hub/imports/partnerships.py through records.py): a chapter's sheet in
its own words, partners matched to the directory (an uncertain one chosen by the person), every
bad row named by row and column, all or none, nothing added twice, the registry export read back,
and the command's exit codes."""

import datetime
import functools
from io import StringIO

import pytest
from django.core.management import call_command

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.directory.matching import name_key
from hub.directory.models import Organization
from hub.imports.models import ImportedRecord
from hub.imports.records import import_file
from hub.imports.tests import kinds
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Participant, Partnership

pytestmark = pytest.mark.django_db
write_csv = kinds.write_csv


preview = functools.partial(kinds.preview, "partnerships")


@pytest.fixture
def known(db):
    """Partners already in the directory, under their own spellings."""
    return {
        "museum": OrganizationFactory(name="Städtisches Museum Graz", kind="museum"),
        "library": OrganizationFactory(
            name="The National Library of Testland", kind="library", short_code="NLT"
        ),
        "archive": OrganizationFactory(
            name="Landesarchiv Testland", kind="archive", wikidata_id="Q4242"
        ),
    }


# A sheet as a chapter's office keeps one: German headers, goals and statuses in words, partner
# names as people write them (accents dropped, an article added, a code), two per cell with
# their roles, dates as typed, a few bad rows.
OFFICE = [
    ["Partnerschaften 2024", "", "", "", "", ""],
    ["Projekt", "Partner", "Ziele", "Status", "Beginn", "Ende"],
    ["Digitalisierung", "Stadtisches Museum Graz (Gastgeber); NLT", "Inhalte", "laufend", "01.03.2024", ""],
    ["Schreibwerkstatt", "national library of testland", "Inhalte, Öffentlichkeitsarbeit", "abgeschlossen", "10.01.2023", "30.06.2023"],
    ["", "Landesarchiv Testland", "Inhalte", "laufend", "", ""],
    ["Archivtage", "Q4242", "Finanzierung", "geplant", "2024-09-01", "2024-08-01"],
    ["Fotowettbewerb", "Neue Galerie am Markt (Förderer)", "Wunder", "laufend", "", ""],
    ["Wikidata-Workshop", "", "Inhalte", "laufend", "", ""],
]  # fmt: skip


def test_the_office_sheet_names_each_bad_row_and_column(tmp_path, affiliate, editor, known):
    result = preview(write_csv(tmp_path / "partner.csv", OFFICE), affiliate, editor)
    assert not result.fatal, result.messages()
    assert result.header_row == 2
    messages = result.messages()
    assert any("row 5" in m and "'Projekt'" in m and "empty" in m for m in messages), messages
    assert any("row 6" in m and "end date" in m.casefold() for m in messages), messages
    assert any("row 7" in m and "'Ziele'" in m and "Wunder" in m for m in messages), messages
    assert any("row 8" in m and "'Partner'" in m for m in messages), messages
    assert result.invalid_count == 4
    assert result.valid_rows == 2
    # the gallery is not in the directory: it would be added, once
    assert result.new_organizations == []
    assert Partnership.objects.count() == 0  # a preview writes nothing


def test_valid_rows_import_with_known_partners_matched_not_duplicated(
    tmp_path, affiliate, editor, known
):
    path = write_csv(tmp_path / "partner.csv", OFFICE)
    organizations = Organization.objects.count()
    refused = import_file(path, kind="partnerships", organization=affiliate, actor=editor)
    assert not refused.imported
    assert Partnership.objects.count() == 0
    result = import_file(
        path, kind="partnerships", organization=affiliate, actor=editor, skip_invalid=True
    )
    assert result.imported, result.messages()
    assert result.created == 2
    assert Organization.objects.count() == organizations  # every partner was matched
    digital = Partnership.objects.get(title="Digitalisierung")
    assert digital.lead == affiliate
    assert digital.status == "active"
    assert digital.goals == ["content"]
    assert digital.start_date == datetime.date(2024, 3, 1)
    roles = {(p.organization_id, p.role) for p in digital.participants.all()}
    assert roles == {
        (affiliate.pk, "lead"),
        (known["museum"].pk, "host"),
        (known["library"].pk, "partner"),
    }
    writing = Partnership.objects.get(title="Schreibwerkstatt")
    assert set(writing.goals) == {"content", "advocacy"}
    assert writing.status == "completed"
    assert writing.end_date == datetime.date(2023, 6, 30)
    record = ImportedRecord.objects.get(kind="partnerships", object_id=digital.pk)
    assert record.source == "partner.csv"
    assert record.row == 3
    entry = HistoryEntry.objects.for_object(digital).get()
    assert entry.action == "import"

    again = import_file(
        path, kind="partnerships", organization=affiliate, actor=editor, skip_invalid=True
    )
    assert again.imported
    assert again.created == 0
    assert again.already_imported == 2
    assert Partnership.objects.count() == 2


def test_a_new_partner_is_added_once_however_often_it_is_named(tmp_path, affiliate, editor):
    rows = [
        ["title", "partners", "goals"],
        ["One", "Neue Galerie am Markt (funder)", "content"],
        ["Two", "neue galerie am markt; Another Place", "content"],
    ]
    result = import_file(
        write_csv(tmp_path / "p.csv", rows),
        kind="partnerships",
        organization=affiliate,
        actor=editor,
    )
    assert result.imported, result.messages()
    galleries = Organization.objects.filter(name__iexact="Neue Galerie am Markt")
    assert galleries.count() == 1
    gallery = galleries.get()
    assert gallery.kind == "other"
    assert not gallery.verified
    assert "p.csv" in gallery.source_note
    assert result.new_organization_count == 2
    assert Participant.objects.filter(organization=gallery).count() == 2


def test_an_uncertain_partner_waits_for_a_choice_and_the_choice_is_used(
    tmp_path, affiliate, editor
):
    berlin = OrganizationFactory(name="Museum für Naturkunde", kind="museum", country="DE")
    OrganizationFactory(name="Museum fur Naturkunde", kind="museum", country="AT")
    rows = [["title", "partners", "goals"], ["Insects", "Museum für Naturkunde", "content"]]
    path = write_csv(tmp_path / "p.csv", rows)
    result = preview(path, affiliate, editor)
    assert result.invalid_count == 1
    assert "choose which below" in result.messages()[0]
    (item,) = result.uncertain
    assert item["name"] == "Museum für Naturkunde"
    assert item["rows"] == [2]
    assert len(item["candidates"]) == 2
    key = name_key("Museum für Naturkunde")
    assert item["key"] == key
    chosen = preview(path, affiliate, editor, choices={key: berlin.pk})
    assert chosen.ok, chosen.messages()
    done = import_file(
        path, kind="partnerships", organization=affiliate, actor=editor, choices={key: berlin.pk}
    )
    assert done.created == 1
    assert Partnership.objects.get().participants.filter(organization=berlin).exists()
    # "none of these": a new organization
    organizations = Organization.objects.count()
    rows[1][0] = "Beetles"
    import_file(
        write_csv(tmp_path / "q.csv", rows),
        kind="partnerships",
        organization=affiliate,
        actor=editor,
        choices={key: 0},
    )
    assert Organization.objects.count() == organizations + 1


def test_one_column_per_partner(tmp_path, affiliate, editor, known):
    rows = [
        ["Titel", "Partner 1", "Partner 2", "Ziel"],
        ["Both", "NLT", "Landesarchiv Testland (content_provider)", "contenu"],
    ]
    result = import_file(
        write_csv(tmp_path / "p.csv", rows),
        kind="partnerships",
        organization=affiliate,
        actor=editor,
    )
    assert result.imported, result.messages()
    partnership = Partnership.objects.get()
    assert set(partnership.participants.values_list("organization_id", "role")) == {
        (affiliate.pk, "lead"),
        (known["library"].pk, "partner"),
        (known["archive"].pk, "content_provider"),
    }


def test_goals_and_statuses_in_the_shipped_languages(tmp_path, affiliate, editor, known):
    rows = [
        ["título", "socios", "objetivos", "estado", "portée"],
        ["A", "NLT", "financiación", "en curso", "nacional"],
        ["B", "NLT", "contenu", "terminé", "mondial"],
        ["C", "NLT", "تمويل", "Completed", "Local"],
    ]
    result = import_file(
        write_csv(tmp_path / "p.csv", rows),
        kind="partnerships",
        organization=affiliate,
        actor=editor,
    )
    assert result.imported, result.messages()
    got = {p.title: (p.goals, p.status, p.scope) for p in Partnership.objects.all()}
    assert got == {
        "A": (["funding"], "active", "national"),
        "B": (["content"], "completed", "global"),
        "C": (["funding"], "completed", "local"),
    }


def test_a_lead_the_person_does_not_edit_for_is_refused_by_row(
    tmp_path, affiliate, other_affiliate, editor, known
):
    rows = [["title", "lead", "partners", "goals"], ["Theirs", "WMOL", "NLT", "content"]]
    result = preview(write_csv(tmp_path / "p.csv", rows), affiliate, editor)
    assert result.invalid_count == 1
    assert "row 2" in result.messages()[0]


def test_an_outsider_cannot_import_for_the_organization(tmp_path, affiliate, outsider, known):
    rows = [["title", "partners", "goals"], ["X", "NLT", "content"]]
    result = preview(write_csv(tmp_path / "p.csv", rows), affiliate, outsider)
    assert result.fatal
    assert Partnership.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_an_exported_registry_imports_back_into_an_empty_hub(
    fmt, tmp_path, affiliate, editor, known, client_for
):
    make_partnership(
        lead=affiliate,
        partners=[known["museum"], known["library"]],
        title="Bilder; Töne",
        goals=["content", "funding"],
        status="paused",
        scope="national",
        start_date=datetime.date(2022, 5, 1),
        end_date=datetime.date(2025, 1, 31),
        description="Zwei Zeilen\nzweite",
        visibility="movement",
        links=[("Bericht", "https://example.org/r")],
    )
    response = client_for(editor).get(f"/partnerships/export/?format={fmt}")
    assert response.status_code == 200
    path = tmp_path / f"registry.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    before = _described(Partnership.objects.get())
    Participant.objects.all().delete()
    Partnership.objects.all().delete()
    known["museum"].delete()  # an empty hub does not know the partners yet
    result = import_file(path, kind="partnerships", organization=affiliate, actor=editor)
    assert result.imported, result.messages()
    assert result.created == 1
    assert _described(Partnership.objects.get()) == before
    again = import_file(path, kind="partnerships", organization=affiliate, actor=editor)
    assert again.created == 0
    assert again.already_imported == 1


def _described(partnership: Partnership) -> dict:
    return {
        "title": partnership.title,
        "description": partnership.description,
        "goals": partnership.goals,
        "status": partnership.status,
        "scope": partnership.scope,
        "dates": (partnership.start_date, partnership.end_date),
        "visibility": partnership.visibility,
        "participants": sorted(
            (p.organization.name, p.role) for p in partnership.participants.all()
        ),
        "links": [(link.label, link.url) for link in partnership.links.all()],
    }


def test_the_command_exit_codes(tmp_path, affiliate, known):
    good = write_csv(
        tmp_path / "good.csv", [["title", "partners", "goals"], ["X", "NLT", "content"]]
    )
    bad = write_csv(tmp_path / "bad.csv", [["title", "partners", "goals"], ["X", "", "content"]])
    out = StringIO()
    with pytest.raises(SystemExit) as exit_bad:
        call_command("import_partnerships", str(bad), organization="WMTL", stdout=out)
    assert exit_bad.value.code == 1
    assert "row 2" in out.getvalue()
    with pytest.raises(SystemExit) as unusable:
        call_command("import_partnerships", str(good), organization="NOPE", stderr=StringIO())
    assert unusable.value.code == 2
    out = StringIO()
    call_command("import_partnerships", str(good), organization="WMTL", stdout=out)
    assert "Imported 1 partnerships" in out.getvalue()
    assert Partnership.objects.filter(title="X", lead=affiliate).exists()


def test_the_upload_page_speaks_of_partnerships(affiliate, editor, client_for):
    page = client_for(editor).get("/import/partnerships/").content.decode()
    assert "Import partnerships from a spreadsheet" in page
    assert "For which organization" in page
    assert "Receiving organization" not in page


def test_a_row_the_registry_holds_asks_no_choice_for_its_partners(tmp_path, affiliate, editor):
    """The registry's export names partners by name: read back into the same hub, a partner two
    directory records could be is no question for a row that is already there (not written)."""
    berlin = OrganizationFactory(name="Museum für Naturkunde", kind="museum", country="DE")
    OrganizationFactory(name="Museum fur Naturkunde", kind="museum", country="AT")
    make_partnership(
        lead=affiliate, partners=[berlin], title="Insects", start_date=datetime.date(2024, 3, 1)
    )
    rows = [
        ["title", "partners", "goals", "start_date"],
        ["Insects", "Museum für Naturkunde (partner)", "content", "2024-03-01"],
        ["Beetles", "Museum für Naturkunde (partner)", "content", "2024-03-01"],
    ]
    result = preview(write_csv(tmp_path / "p.csv", rows), affiliate, editor)
    assert result.already_imported == 1
    assert result.invalid_rows == [3]  # the new row still waits for the choice
    (item,) = result.uncertain
    assert item["rows"] == [3]
