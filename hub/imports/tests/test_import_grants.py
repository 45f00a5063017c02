"""The grants import (hub/imports/grants.py through records.py): a chapter's sheet of grants in its
own words (funders by name, amounts as offices write them, statuses in words), every bad row
named by row and column, the recipient the import's organization unless a column names another,
nothing added twice, the grants export read back, and the command's exit codes."""

import datetime
import functools
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.funding.factories import make_grant
from hub.funding.grants.models import Grant
from hub.imports.models import ImportedRecord
from hub.imports.tests import kinds
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db
write_csv = kinds.write_csv


preview = functools.partial(kinds.preview, "grants")


run = functools.partial(kinds.run, "grants")


@pytest.fixture
def funders(db):
    return {
        "land": OrganizationFactory(name="Land Steiermark", kind="government"),
        "stiftung": OrganizationFactory(
            name="Kulturstiftung des Bundes", kind="funder", short_code="KSB"
        ),
    }


@pytest.fixture
def digital(affiliate):
    return make_partnership(lead=affiliate, title="Digitalisierung Grazer Museen")


# A sheet as a chapter's office keeps one: German headers, funders by name (one the directory
# lacks), amounts with thousands separators, decimal commas and signs, statuses in German,
# French and English, dates as typed, yes/no in words, a partnership by its title.
OFFICE = [
    ["Förderungen 2024", "", "", "", "", "", "", "", "", ""],
    ["Titel", "Geldgeber", "Betrag", "Währung", "Status", "Beginn", "Ende", "Zweckgebunden", "Zweckbindung", "Partnerschaft"],
    ["Digitalisierung 2024", "Land Steiermark", "12.500,00 €", "EUR", "bewilligt", "01.01.2024", "31.12.2024", "ja", "Scans", "Digitalisierung Grazer Museen"],
    ["Schreibwettbewerb", "kulturstiftung des bundes", "3.000", "", "accordé", "2024-03-01", "", "nein", "", ""],
    ["Fotowettbewerb", "Stadt Graz Kulturamt", "€ 800,50", "", "awarded", "", "", "", "", ""],
    ["Antrag Wikidata", "KSB", "20000", "CHF", "beantragt", "1.9.2024", "31.8.2025", "", "", ""],
]  # fmt: skip


def _grants() -> dict:
    return {
        g.title: (
            g.funder.name,
            g.recipient_id,
            g.amount,
            g.currency,
            g.status,
            g.period_start,
            g.period_end,
            g.restricted,
            g.restriction,
            g.partnership_id,
        )
        for g in Grant.objects.select_related("funder")
    }


def test_the_office_sheet_imports_as_written(tmp_path, affiliate, editor, funders, digital):
    path = write_csv(tmp_path / "foerderungen.csv", OFFICE)
    checked = preview(path, affiliate, editor)
    assert checked.ok, checked.messages()
    assert checked.header_row == 2
    assert checked.valid_rows == 4
    assert checked.new_organizations == ["Stadt Graz Kulturamt"]
    assert not Grant.objects.exists()  # a preview writes nothing

    result = run(path, affiliate, editor)
    assert result.imported, result.messages()
    assert result.created == 4
    city = Organization.objects.get(name="Stadt Graz Kulturamt")
    assert (city.kind, city.verified) == ("funder", False)
    assert _grants() == {
        "Digitalisierung 2024": (
            "Land Steiermark", affiliate.pk, Decimal("12500.00"), "EUR", "awarded",
            datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), True, "Scans", digital.pk,
        ),
        "Schreibwettbewerb": (
            "Kulturstiftung des Bundes", affiliate.pk, Decimal("3000.00"), "EUR", "awarded",
            datetime.date(2024, 3, 1), None, False, "", None,
        ),
        "Fotowettbewerb": (
            "Stadt Graz Kulturamt", affiliate.pk, Decimal("800.50"), "EUR", "awarded",
            None, None, False, "", None,
        ),
        "Antrag Wikidata": (
            "Kulturstiftung des Bundes", affiliate.pk, Decimal("20000.00"), "CHF", "applied",
            datetime.date(2024, 9, 1), datetime.date(2025, 8, 31), False, "", None,
        ),
    }  # fmt: skip
    record = ImportedRecord.objects.get(
        kind="grants", object_id=Grant.objects.get(title="Fotowettbewerb").pk
    )
    assert (record.source, record.row) == ("foerderungen.csv", 5)

    again = run(path, affiliate, editor)
    assert again.imported
    assert (again.created, again.already_imported) == (0, 4)
    assert Grant.objects.count() == 4
    assert Organization.objects.filter(name="Stadt Graz Kulturamt").count() == 1


def test_a_grant_the_hub_holds_already_is_counted_not_added(tmp_path, affiliate, editor, funders):
    make_grant(
        recipient=affiliate,
        funder=funders["land"],
        title="Digitalisierung 2024",
        period_start=datetime.date(2024, 1, 1),
    )
    rows = [
        ["Titel", "Geldgeber", "Betrag", "Beginn"],
        ["digitalisierung  2024", "LAND STEIERMARK", "12.500,00", "01.01.2024"],
    ]
    result = run(write_csv(tmp_path / "g.csv", rows), affiliate, editor)
    assert result.imported, result.messages()
    assert (result.created, result.already_imported) == (0, 1)
    assert Grant.objects.count() == 1


def test_each_bad_row_is_named_by_row_and_column(
    tmp_path, affiliate, other_affiliate, editor, funders
):
    make_partnership(lead=other_affiliate, title="Geheimes Projekt", visibility="private")
    rows = [
        ["Titel", "Geldgeber", "Betrag", "Status", "Beginn", "Ende", "Partnerschaft"],
        ["Ohne Betrag", "Land Steiermark", "", "bewilligt", "", "", ""],
        ["Negativ", "Land Steiermark", "-500,00", "bewilligt", "", "", ""],
        ["Unklar", "Land Steiermark", "500", "vielleicht", "", "", ""],
        ["Rückwärts", "Land Steiermark", "500", "bewilligt", "01.06.2024", "01.01.2024", ""],
        ["Ohne Partner", "Land Steiermark", "500", "bewilligt", "", "", "Gibt es nicht"],
        ["Fremd", "Land Steiermark", "500", "bewilligt", "", "", "Geheimes Projekt"],
        ["", "Land Steiermark", "500", "bewilligt", "", "", ""],
        ["Ohne Geldgeber", "", "500", "bewilligt", "", "", ""],
        ["Gut", "Land Steiermark", "500", "bewilligt", "", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    result = preview(path, affiliate, editor)
    assert not result.fatal, result.messages()
    messages = result.messages()

    def named(row, column, *words):
        prefix = f"row {row}, column '{column}'"
        return any(m.startswith(prefix) and all(w in m for w in words) for m in messages)

    assert named(2, "Betrag", "empty"), messages
    assert named(3, "Betrag", "negative"), messages
    assert named(4, "Status", "vielleicht"), messages
    assert named(5, "Ende", "before its start"), messages
    assert named(6, "Partnerschaft", "Gibt es nicht"), messages
    assert named(7, "Partnerschaft", "Geheimes Projekt", "you can see"), messages
    assert named(8, "Titel", "empty"), messages
    assert named(9, "Geldgeber", "empty"), messages
    assert result.invalid_rows == [2, 3, 4, 5, 6, 7, 8, 9]
    assert result.valid_rows == 1

    refused = run(path, affiliate, editor)
    assert not refused.imported
    assert not Grant.objects.exists()
    skipped = run(path, affiliate, editor, skip_invalid=True)
    assert skipped.created == 1
    assert list(Grant.objects.values_list("title", flat=True)) == ["Gut"]


def test_a_recipient_column_names_another_organization_the_person_edits_for(
    tmp_path, affiliate, other_affiliate, editor, outsider, funders
):
    rows = [
        ["Titel", "Geldgeber", "Betrag", "Empfänger"],
        ["Eigene", "KSB", "100", ""],
        ["Fremde", "KSB", "100", "WMOL"],
        ["Niemand", "KSB", "100", "Wikimedia Nirgendwo"],
    ]
    result = preview(write_csv(tmp_path / "g.csv", rows), affiliate, editor)
    messages = result.messages()
    assert result.invalid_rows == [3, 4], messages
    assert messages[0].startswith("row 3"), messages
    assert messages[1].startswith("row 4, column 'Empfänger'"), messages
    assert "matches no organization" in messages[1]


def test_who_may_import_grants(tmp_path, affiliate, viewer, outsider, staff, funders):
    path = write_csv(tmp_path / "g.csv", [["Titel", "Geldgeber", "Betrag"], ["X", "KSB", "1"]])
    for person in (viewer, outsider):
        assert run(path, affiliate, person).fatal
    # grants are imported for movement organizations only, even by staff
    museum = OrganizationFactory(name="Museum")
    assert preview(path, museum, staff).fatal
    assert preview(path, affiliate, staff).ok
    assert not Grant.objects.exists()


def test_a_file_without_its_needed_columns_is_refused_whole(tmp_path, affiliate, editor):
    result = preview(write_csv(tmp_path / "g.csv", [["Titel"], ["X"]]), affiliate, editor)
    assert sorted(str(p) for p in result.fatal) == [
        "No column is mapped to 'Amount'; map one.",
        "No column is mapped to 'Funder'; map one.",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_grants_export_imports_back_into_an_empty_hub(
    fmt, tmp_path, affiliate, editor, funders, digital, client_for
):
    new_funder = OrganizationFactory(name="Fondation Lumière", kind="funder")
    make_grant(
        recipient=affiliate,
        funder=funders["stiftung"],
        title="Bilder; Töne",
        amount=Decimal("12500.50"),
        currency="CHF",
        status="awarded",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        restricted=True,
        restriction="Nur Scans",
        description="Zwei Zeilen\nzweite",
        partnership=digital,
    )
    make_grant(
        recipient=affiliate,
        funder=new_funder,
        title="=Formel",
        amount=Decimal("0.00"),
        confidential=True,
        status="declined",
    )
    response = client_for(editor).get(f"{reverse('funding:grant_export')}?format={fmt}")
    assert response.status_code == 200
    path = tmp_path / f"grants.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    before = sorted(_described(g) for g in Grant.objects.all())
    Grant.objects.all().delete()
    new_funder.delete()  # an empty hub does not know this funder yet

    result = run(path, affiliate, editor)
    assert result.imported, result.messages()
    assert result.created == 2
    assert sorted(_described(g) for g in Grant.objects.all()) == before
    assert Organization.objects.get(name="Fondation Lumière").kind == "funder"
    again = run(path, affiliate, editor)
    assert (again.created, again.already_imported) == (0, 2)


def _described(grant: Grant) -> tuple:
    return (
        grant.title,
        grant.funder.name,
        grant.recipient_id,
        grant.partnership_id,
        grant.amount,
        grant.currency,
        grant.restricted,
        grant.restriction,
        grant.period_start,
        grant.period_end,
        grant.status,
        grant.description,
        grant.confidential,
    )


def test_the_command_exit_codes(tmp_path, affiliate, funders):
    good = write_csv(tmp_path / "good.csv", [["Titel", "Geldgeber", "Betrag"], ["X", "KSB", "1"]])
    bad = write_csv(tmp_path / "bad.csv", [["Titel", "Geldgeber", "Betrag"], ["X", "KSB", ""]])
    out = StringIO()
    with pytest.raises(SystemExit) as exit_bad:
        call_command("import_grants", str(bad), organization="WMTL", stdout=out)
    assert exit_bad.value.code == 1
    assert "row 2, column 'Betrag'" in out.getvalue()
    with pytest.raises(SystemExit) as unusable:
        call_command("import_grants", str(good), organization="NOPE", stderr=StringIO())
    assert unusable.value.code == 2
    out = StringIO()
    call_command("import_grants", str(good), organization="WMTL", currency="chf", stdout=out)
    assert "Imported 1 grants" in out.getvalue()
    assert Grant.objects.get(title="X", recipient=affiliate).currency == "CHF"
    out = StringIO()
    call_command("import_grants", str(good), organization="WMTL", dry_run=True, stdout=out)
    assert "Dry run" in out.getvalue()
    assert "1 already imported" in out.getvalue()
    assert Grant.objects.count() == 1
