"""The organizations import (hub/imports/organizations.py through records.py): an office's list of
partner institutions in its own words, those the directory holds already counted (not added),
an uncertain one chosen by the person, every bad row named by row and column, all or none,
nothing added twice, who may import, and the command's exit codes."""

import functools
from io import StringIO

import pytest
from django.core.management import call_command

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.directory.matching import name_key
from hub.directory.models import Organization
from hub.imports.models import ImportedRecord
from hub.imports.tests import kinds

pytestmark = pytest.mark.django_db
write_csv = kinds.write_csv


preview = functools.partial(kinds.preview, "organizations")


run = functools.partial(kinds.run, "organizations")


@pytest.fixture
def held(db):
    """Institutions the directory holds already, under their own spellings and identifiers."""
    return {
        "dresden": OrganizationFactory(
            name="Staatliche Kunstsammlungen Dresden", country="DE", website="https://skd.museum/"
        ),
        "dnb": OrganizationFactory(
            name="Deutsche Nationalbibliothek", kind="library", country="DE", wikidata_id="Q27302"
        ),
        "bnf": OrganizationFactory(
            name="Bibliothèque nationale de France", kind="library", country="FR"
        ),
        "mumok": OrganizationFactory(name="Museum moderner Kunst", short_code="MUMOK"),
    }


# A list as a chapter's office keeps one: a title row, German headers, kinds and countries in
# words (German, French, English) and as codes, the directory's institutions under other
# spellings, by website, by Wikidata item and by short code.
OFFICE = [
    ["Partnerinstitutionen (Stand 2024)", "", "", "", "", ""],
    ["Name", "Art", "Land", "Webseite", "Kürzel", "Wikidata"],
    ["Universität Wien", "Université", "Österreich", "https://www.univie.ac.at", "", "Q165980"],
    ["Musée d'Orsay", "Museum", "France", "www.musee-orsay.fr", "", ""],
    ["Stadtbibliothek Graz", "Bibliothek", "AT", "", "STBG", ""],
    ["Landesarchiv Baden-Württemberg", "Archiv", "Deutschland", "", "", ""],
    ["SKD", "Museum", "DE", "http://www.skd.museum", "", ""],
    ["DNB Frankfurt", "Bibliothek", "Deutschland", "", "", "q27302"],
    ["bibliotheque nationale de france", "Bibliothèque", "France", "", "", ""],
    ["mumok Wien", "Museum", "AT", "", "mumok", ""],
]  # fmt: skip
NEW = {
    "Universität Wien": ("university_research", "AT", "https://www.univie.ac.at", None, "Q165980"),
    "Musée d'Orsay": ("museum", "FR", "https://www.musee-orsay.fr", None, ""),
    "Stadtbibliothek Graz": ("library", "AT", "", "STBG", ""),
    "Landesarchiv Baden-Württemberg": ("archive", "DE", "", None, ""),
}


def _added(names) -> dict:
    return {
        o.name: (o.kind, str(o.country), o.website, o.short_code, o.wikidata_id)
        for o in Organization.objects.filter(name__in=names)
    }


def test_the_office_list_adds_the_new_and_counts_those_the_directory_holds(
    tmp_path, affiliate, editor, held
):
    path = write_csv(tmp_path / "partner.csv", OFFICE)
    before = Organization.objects.count()
    checked = preview(path, affiliate, editor)
    assert checked.ok, checked.messages()
    assert checked.header_row == 2
    assert (checked.valid_rows, checked.already_imported) == (8, 4)
    assert Organization.objects.count() == before  # a preview writes nothing

    result = run(path, affiliate, editor)
    assert result.imported, result.messages()
    assert (result.created, result.already_imported) == (4, 4)
    assert Organization.objects.count() == before + 4
    assert _added(NEW) == NEW
    vienna = Organization.objects.get(name="Universität Wien")
    assert HistoryEntry.objects.for_object(vienna).get().action == "import"
    record = ImportedRecord.objects.get(kind="organizations", object_id=vienna.pk)
    assert (record.source, record.row, record.organization) == ("partner.csv", 3, affiliate)
    # those already there keep their own records, unchanged
    assert Organization.objects.get(pk=held["dresden"].pk).name == held["dresden"].name
    assert Organization.objects.filter(name__icontains="nationale de france").count() == 1

    again = run(path, affiliate, editor)
    assert again.imported
    assert (again.created, again.already_imported) == (0, 8)
    assert Organization.objects.count() == before + 4


def test_french_headers_and_words(tmp_path, affiliate, editor):
    rows = [
        ["Nom", "Type d'organisation", "Pays", "Site web", "Sigle"],
        ["Bibliothèque municipale de Lyon", "Bibliothèque", "France", "https://www.bm-lyon.fr", "BML"],
        ["Université de Genève", "Université", "Suisse", "", ""],
        ["Fondation Jan Michalski", "Fondation", "CH", "", ""],
    ]  # fmt: skip
    result = run(write_csv(tmp_path / "partenaires.csv", rows), affiliate, editor)
    assert result.imported, result.messages()
    assert _added([r[0] for r in rows[1:]]) == {
        "Bibliothèque municipale de Lyon": ("library", "FR", "https://www.bm-lyon.fr", "BML", ""),
        "Université de Genève": ("university_research", "CH", "", None, ""),
        "Fondation Jan Michalski": ("funder", "CH", "", None, ""),
    }


BAD = [
    ["Name", "Art", "Land", "Webseite", "Kürzel"],
    ["", "Museum", "AT", "", ""],
    ["Tiergarten Schönbrunn", "Zoo", "AT", "", ""],
    ["Atlantis-Museum", "Museum", "Atlantis", "", ""],
    ["Galerie am Eck", "Galerie", "AT", "htp//galerie eck", ""],
    ["Kunsthaus Graz", "Museum", "AT", "", "KHG"],
    ["Kunsthalle Graz", "Museum", "AT", "", "KHG"],
    ["Volkskundemuseum Wien", "Museum", "AT", "", ""],
]


def test_each_bad_row_is_named_by_row_and_column(tmp_path, affiliate, editor):
    result = preview(write_csv(tmp_path / "bad.csv", BAD), affiliate, editor)
    assert not result.fatal, result.messages()
    messages = result.messages()
    assert any(m.startswith("row 2, column 'Name'") and "empty" in m for m in messages), messages
    assert any(m.startswith("row 3, column 'Art'") and "'Zoo'" in m for m in messages), messages
    assert any(m.startswith("row 4, column 'Land'") and "Atlantis" in m for m in messages)
    assert any(m.startswith("row 5, column 'Webseite'") for m in messages), messages
    assert any(m.startswith("row 7, column 'Kürzel'") for m in messages), messages
    assert not any(m.startswith("row 6") for m in messages)  # the first to give the code
    assert result.invalid_rows == [2, 3, 4, 5, 7]
    assert result.valid_rows == 2


def test_all_or_none_unless_the_bad_rows_are_skipped(tmp_path, affiliate, editor):
    path = write_csv(tmp_path / "bad.csv", BAD)
    before = Organization.objects.count()
    refused = run(path, affiliate, editor)
    assert not refused.imported
    assert refused.created == 0
    assert Organization.objects.count() == before
    assert not ImportedRecord.objects.exists()
    skipped = run(path, affiliate, editor, skip_invalid=True)
    assert skipped.imported, skipped.messages()
    assert skipped.created == 2
    assert set(Organization.objects.values_list("name", flat=True)) >= {
        "Kunsthaus Graz",
        "Volkskundemuseum Wien",
    }
    assert Organization.objects.get(name="Kunsthaus Graz").short_code == "KHG"
    assert not Organization.objects.filter(name="Kunsthalle Graz").exists()
    assert run(path, affiliate, editor, skip_invalid=True).created == 0


def test_the_same_organization_twice_in_the_file_is_named(tmp_path, affiliate, editor):
    rows = [["Name", "Art"], ["Wien Museum", "Museum"], ["WIEN MUSEUM", "Museum"]]
    result = preview(write_csv(tmp_path / "twice.csv", rows), affiliate, editor)
    assert result.messages() == ["row 3: repeats row 2."]


def test_an_uncertain_organization_waits_for_a_choice(tmp_path, affiliate, editor):
    berlin = OrganizationFactory(name="Museum für Naturkunde", country="DE")
    OrganizationFactory(name="Museum fur Naturkunde", country="AT")
    rows = [["Name", "Art", "Land"], ["Museum für Naturkunde", "Museum", "DE"]]
    path = write_csv(tmp_path / "p.csv", rows)
    before = Organization.objects.count()
    result = preview(path, affiliate, editor)
    assert result.invalid_count == 1
    assert result.messages() == [
        "row 2, column 'Name': 'Museum für Naturkunde' may be one of several organizations in "
        "the directory; choose which below."
    ]
    (item,) = result.uncertain
    key = name_key("Museum für Naturkunde")
    assert (item["key"], item["rows"], len(item["candidates"])) == (key, [2], 2)
    assert not run(path, affiliate, editor).imported

    chosen = run(path, affiliate, editor, choices={key: berlin.pk})
    assert chosen.imported, chosen.messages()
    assert (chosen.created, chosen.already_imported) == (0, 1)
    assert Organization.objects.count() == before

    added = run(path, affiliate, editor, choices={key: 0})
    assert added.imported, added.messages()
    assert added.created == 1
    # Compared here, not by the database: MariaDB's collation takes "fur" for "für".
    names = list(Organization.objects.values_list("name", flat=True))
    assert names.count("Museum für Naturkunde") == 2
    assert Organization.objects.count() == before + 1


def test_a_movement_kind_is_refused_to_an_editor_by_row(tmp_path, affiliate, editor, staff):
    rows = [["Name", "Art"], ["Wikimedia Neuland", "Chapter"], ["Stadtmuseum Linz", "Museum"]]
    path = write_csv(tmp_path / "p.csv", rows)
    result = preview(path, affiliate, editor)
    assert result.invalid_rows == [2]
    (message,) = result.messages()
    assert message.startswith("row 2")
    assert "administrators" in message
    done = run(path, affiliate, staff)
    assert done.imported, done.messages()
    assert Organization.objects.get(name="Wikimedia Neuland").kind == "chapter"


def test_a_viewer_or_outsider_cannot_import(tmp_path, affiliate, viewer, outsider):
    path = write_csv(tmp_path / "p.csv", [["Name"], ["Stadtmuseum Linz"]])
    for person in (viewer, outsider):
        result = run(path, affiliate, person)
        assert result.fatal
        assert not result.imported
    assert not Organization.objects.filter(name="Stadtmuseum Linz").exists()


def test_a_file_without_a_name_column_is_refused_whole(tmp_path, affiliate, editor):
    result = preview(
        write_csv(tmp_path / "p.csv", [["Art", "Land"], ["Museum", "AT"]]), affiliate, editor
    )
    assert result.messages() == ["No column is mapped to 'Name'; map one."]


def test_the_command_exit_codes(tmp_path, affiliate, held):
    good = write_csv(tmp_path / "good.csv", [["Name", "Art"], ["Stadtmuseum Linz", "Museum"]])
    bad = write_csv(tmp_path / "bad.csv", [["Name", "Art"], ["Zoo Linz", "Zoo"]])
    out = StringIO()
    with pytest.raises(SystemExit) as exit_bad:
        call_command("import_organizations", str(bad), organization="WMTL", stdout=out)
    assert exit_bad.value.code == 1
    assert "row 2, column 'Art'" in out.getvalue()
    with pytest.raises(SystemExit) as unusable:
        call_command("import_organizations", str(good), organization="NOPE", stderr=StringIO())
    assert unusable.value.code == 2
    with pytest.raises(SystemExit) as missing:
        call_command(
            "import_organizations",
            str(tmp_path / "none.csv"),
            organization="WMTL",
            stderr=StringIO(),
        )
    assert missing.value.code == 2
    out = StringIO()
    call_command("import_organizations", str(good), organization="WMTL", stdout=out)
    assert "Imported 1 organizations" in out.getvalue()
    assert Organization.objects.filter(name="Stadtmuseum Linz", kind="museum").exists()
    out = StringIO()
    call_command("import_organizations", str(good), organization="WMTL", stdout=out)
    assert "Imported 0 organizations" in out.getvalue()
    assert "1 already imported" in out.getvalue()


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_refused(tmp_path, affiliate, editor):
    rows = [["Name", "Lokaler Name"], ['=HYPERLINK("http://evil.example/";"Klick")', ""], ["Wien Museum", "=1+1"]]  # fmt: skip
    result = preview(write_csv(tmp_path / "p.csv", rows), affiliate, editor)
    assert result.messages() == [
        "row 2, column 'Name': '=HYPERLINK(\"http://evil.example/\";\"Klick\")' looks like a "
        "spreadsheet formula, not a name.",
        "row 3, column 'Lokaler Name': '=1+1' looks like a spreadsheet formula, not a name.",
    ]
