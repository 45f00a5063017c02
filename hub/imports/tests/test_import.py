"""The spreadsheet import through the service path: preview, confirm, idempotence, skip-invalid,
all or none, the chapter-office files, and the command's exit codes."""

import csv
import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from hub.core import tabular
from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.funding.factories import make_rate
from hub.funding.models import InKindContribution, ValueSource
from hub.imports.columns import (
    parse_mapping_option,
    propose_mapping,
    proposed_mapping,
    remember_mapping,
)
from hub.imports.engine import import_file, run_import
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "import_files"
CORPUS = Path(__file__).resolve().parents[3] / "hub" / "core" / "tests" / "corpus"


@pytest.fixture
def directory(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Testland Museum")
    printer = OrganizationFactory(
        name="Stadtdruckerei Graz", wikidata_id="Q1234567", kind="company"
    )
    partnership = make_partnership(
        lead=affiliate, partners=[museum], title="Digitalisierung Museum", visibility="private"
    )
    return {"museum": museum, "printer": printer, "partnership": partnership}


def write_csv(path: Path, rows, delimiter=";") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


HEADER = ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert", "Währung"]


@pytest.mark.parametrize("name", ["sachspenden_2024.xlsx", "sachspenden_2024.ods"])
def test_the_chapter_office_file_imports_every_row_through_the_services(
    name, affiliate, editor, directory, other_affiliate
):
    preview = run_import(FILES / name, organization=affiliate, actor=editor)
    assert preview.ok, preview.messages()
    assert (preview.rows, preview.valid_rows, preview.header_row) == (7, 7, 4)
    assert [s.number for s in preview.skipped_totals] == [13]
    assert sorted(preview.new_donors) == sorted(
        ["Bäckerei Müller", "Ehrenamtliche Fotograf:innen", "Музей истории Киева"]
    )
    assert InKindContribution.objects.count() == 0

    result = run_import(FILES / name, organization=affiliate, actor=editor, write=True)
    assert result.imported
    assert result.created == 7

    made = {
        c.description: c for c in InKindContribution.objects.select_related("donor_organization")
    }
    assert made["Vortragssaal für den Editathon"].donor_organization == directory["museum"]
    assert made["Vortragssaal für den Editathon"].partnership == directory["partnership"]
    assert made["Vortragssaal für den Editathon"].value == Decimal("1200.00")
    assert made["Flyer A5"].donor_organization == directory["printer"]  # by Wikidata item
    assert made["Flyer A5"].value == Decimal("310.50")
    assert made["Bahnfahrt zur Wikimania"].donor_organization == other_affiliate  # by short code
    assert made["Bahnfahrt zur Wikimania"].value == Decimal("1234.56")
    assert made["Kaffee & Kuchen"].value == Decimal("112.50")  # a formula's computed value
    assert made["Kaffee & Kuchen"].date == datetime.date(2024, 3, 15)  # a serial number
    assert (
        made["Bildbearbeitung"].donor_organization.name == "Ehrenamtliche Fotograf:innen"
    )  # merged
    assert made["Bildrechte für 40 Fotos"].donor_organization.name == "Музей истории Киева"
    assert made["Bildrechte für 40 Fotos"].date == datetime.date(2024, 6, 1)
    assert made["Fotowanderung"].quantity == Decimal("40")
    assert made["Fotowanderung"].unit == "hours"
    assert {c.category for c in made.values()} >= {"venue_space", "catering", "volunteer_time"}
    new = Organization.objects.get(name="Bäckerei Müller")
    assert (new.kind, new.verified) == ("other", False)
    # one history entry for the import, on the receiving organization, that every row points to
    entry = HistoryEntry.objects.get(action="import")
    assert {c.import_entry_id for c in made.values()} == {entry.pk}
    assert entry.changes["imported_contributions"] == [None, 7]
    total = sum(c.value for c in made.values())
    assert total == Decimal("1200.00") + Decimal("112.50") + Decimal("310.50") + Decimal(
        "800"
    ) + Decimal("240") + Decimal("2500") + Decimal("1234.56")


def test_importing_the_same_file_twice_adds_nothing_the_second_time(affiliate, editor, directory):
    first = import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor)
    donors = Organization.objects.count()
    second = import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor)
    assert (first.created, second.created, second.already_imported) == (7, 0, 7)
    assert InKindContribution.objects.count() == 7
    assert Organization.objects.count() == donors
    # the same sheet saved as ODS is the same rows
    assert import_file(FILES / "sachspenden_2024.ods", affiliate, editor).created == 0
    preview = run_import(FILES / "sachspenden_2024.xlsx", organization=affiliate, actor=editor)
    assert preview.already_imported == 7


def test_a_sheet_too_large_for_calamine_streams_with_openpyxl_to_the_same_rows(
    monkeypatch, affiliate, editor, directory
):
    assert tabular.xlsx._calamine_sheet(FILES / "sachspenden_2024.xlsx") is not None
    first = import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor)
    # Sheets above the threshold are streamed by openpyxl: the same rows, the same import keys.
    monkeypatch.setattr(tabular.xlsx, "CALAMINE_SHEET_BYTES", 0)
    assert tabular.xlsx._calamine_sheet(FILES / "sachspenden_2024.xlsx") is None
    preview = run_import(FILES / "sachspenden_2024.xlsx", organization=affiliate, actor=editor)
    assert preview.ok, preview.messages()
    assert (preview.rows, preview.header_row, preview.already_imported) == (7, 4, 7)
    assert [s.number for s in preview.skipped_totals] == [13]
    assert import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor).created == 0
    assert first.created == InKindContribution.objects.count() == 7


def test_an_import_records_one_history_entry_that_each_record_shows(
    client, affiliate, editor, directory
):
    import_file(FILES / "sachspenden_2024.xlsx", affiliate, editor)
    # The new donors get their own "created" entries; the contributions one "imported" entry.
    assert not HistoryEntry.objects.filter(content_type__model="inkindcontribution").exists()
    entry = HistoryEntry.objects.get(action="import")
    assert (entry.content_type.model, entry.object_id) == ("organization", affiliate.pk)
    assert entry.actor == editor
    assert entry.changes == {
        "imported_contributions": [None, 7],
        "source": [None, "sachspenden_2024.xlsx"],
    }
    assert set(InKindContribution.objects.values_list("import_entry", flat=True)) == {entry.pk}

    # Each record's history page and the organization's show who imported it, when, from what.
    contribution = InKindContribution.objects.order_by("pk").first()
    client.force_login(editor)
    for url in (
        f"/in-kind/{contribution.pk}/history/",
        f"/organizations/{affiliate.pk}/history/",
    ):
        page = client.get(url).content.decode()
        assert "imported" in page, url
        assert "sachspenden_2024.xlsx" in page, url
        assert "In-kind contributions imported" in page, url
    # A change after the import is listed with it, newest first.
    from hub.funding import services

    services.contribution_update(
        actor=editor, contribution=contribution, description="Neu", expected_version=1
    )
    actions = [e.action for e in HistoryEntry.objects.for_object(contribution, entry.pk)]
    assert actions == ["change", "import"]


def test_a_donor_named_exactly_as_in_the_directory_wins_over_a_spelling_variant(
    tmp_path, affiliate, editor
):
    OrganizationFactory(name="Cafe Muller")
    exact = OrganizationFactory(name="Café Müller")
    path = write_csv(
        tmp_path / "exact.csv",
        [HEADER, ["Café Müller", "01.03.2024", "Verpflegung", "Kaffee", "10,00", "EUR"]],
    )
    assert import_file(path, affiliate, editor).created == 1
    assert InKindContribution.objects.get().donor_organization == exact


def test_identical_rows_in_one_file_are_separate_gifts(tmp_path, affiliate, editor):
    row = ["Bäckerei", "01.03.2024", "Verpflegung", "Kaffee", "10,00", "EUR"]
    path = write_csv(tmp_path / "twice.csv", [HEADER, row, row])
    assert import_file(path, affiliate, editor).created == 2
    assert import_file(path, affiliate, editor).created == 0


def test_problems_are_named_by_row_and_column_and_nothing_is_written(affiliate, editor, directory):
    result = run_import(
        FILES / "sachspenden_2024_fehler.xlsx", organization=affiliate, actor=editor, write=True
    )
    assert not result.imported
    assert result.messages() == [
        "row 7, column 'Wert (EUR)': '12,5.0' is not a number.",
        "row 10, column 'Datum': '31.02.2024' is not a date.",
    ]
    assert InKindContribution.objects.count() == 0
    assert not Organization.objects.filter(name="Bäckerei Müller").exists()


def test_skip_invalid_imports_exactly_the_valid_rows(affiliate, editor, directory):
    result = import_file(
        FILES / "sachspenden_2024_fehler.ods", affiliate, editor, skip_invalid=True
    )
    assert result.imported
    assert (result.created, result.invalid_count, result.invalid_rows) == (5, 2, [7, 10])
    assert set(InKindContribution.objects.values_list("description", flat=True)) == {
        "Vortragssaal für den Editathon",
        "Kaffee & Kuchen",
        "Fotowanderung",
        "Bildbearbeitung",
        "Bahnfahrt zur Wikimania",
    }
    # the skipped row's new donor is not created
    assert not Organization.objects.filter(name="Музей истории Киева").exists()
    # the corrected file brings the two missing rows, and only them
    fixed = import_file(FILES / "sachspenden_2024.ods", affiliate, editor)
    assert (fixed.created, fixed.already_imported) == (2, 5)


def test_a_csv_saved_from_the_sheet_loses_the_merge_and_says_so(affiliate, editor, directory):
    result = run_import(FILES / "sachspenden_2024.csv", organization=affiliate, actor=editor)
    assert result.messages() == [
        "row 9, column 'Spender': is empty; name the donor (an organization or a person)."
    ]


def test_service_rules_appear_as_row_problems(tmp_path, affiliate, editor):
    path = write_csv(
        tmp_path / "rules.csv",
        [
            ["Spender", "Datum", "Kategorie", "Menge", "Einheit", "Bis"],
            ["A", "01.03.2024", "Ehrenamt", "10", "Stunden", ""],
            ["B", "01.03.2024", "Raum", "0", "Tage", ""],
            ["C", "01.03.2024", "Raum", "2", "Tage", "01.01.2024"],
        ],
    )
    make_rate(organization=affiliate, category="volunteer_time", unit="hours")
    result = run_import(path, organization=affiliate, actor=editor, mapping={"Bis": "period_end"})
    assert result.invalid_rows == [3, 4]
    messages = result.messages()
    assert any(m.startswith("row 3, column 'Menge':") for m in messages)
    assert any(m.startswith("row 4, column 'Bis':") for m in messages)
    written = import_file(path, affiliate, editor, mapping={"Bis": "period_end"}, skip_invalid=True)
    (made,) = InKindContribution.objects.all()
    assert written.created == 1
    assert (made.value, made.value_source) == (Decimal("200.00"), ValueSource.RATE)


def test_formula_payloads_never_become_names(affiliate, editor):
    result = run_import(CORPUS / "formula_payloads.csv", organization=affiliate, actor=editor)
    messages = result.messages()
    assert "looks like a spreadsheet formula" in messages[0]
    assert messages[0].startswith("row 2, column 'Spender'")
    assert any(m.startswith("row 4, column 'Wert': '=1+1' is not a number") for m in messages)
    # in a description the text is kept as text (exports neutralize it again)
    assert result.valid_rows == 2


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".py"))
def test_every_hostile_file_gives_a_clear_answer_and_no_partial_write(name, affiliate, editor):
    result = import_file(CORPUS / name, affiliate, editor)
    assert result.imported or result.messages()
    assert all(
        "row" in m or "file" in m.lower() or "column" in m.lower() or "macro" in m or "sheet" in m
        for m in result.messages()
    )
    if not result.imported:
        assert InKindContribution.objects.count() == 0


def test_a_database_failure_mid_write_rolls_back_every_row(
    tmp_path, affiliate, editor, transactional_db
):
    rows = [HEADER] + [
        [
            f"Spender {i % 7}",
            "01.03.2024",
            "Raum",
            "boom" if i == 900 else f"Zeile {i}",
            "1,00",
            "EUR",
        ]
        for i in range(1, 1001)
    ]
    path = write_csv(tmp_path / "thousand.csv", rows)
    table = InKindContribution._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_boom BEFORE INSERT ON {table} WHEN NEW.description = 'boom' "
                "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.description = 'boom' "
                "THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_boom BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_boom BEFORE INSERT ON {table} FOR EACH ROW BEGIN "
                "IF NEW.description = 'boom' THEN SIGNAL SQLSTATE '45000' "
                "SET MESSAGE_TEXT = 'refused by a test trigger'; END IF; END"
            )
    try:
        result = run_import(path, organization=affiliate, actor=editor, write=True, batch_size=100)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_boom"
                + (f" ON {table}" if connection.vendor == "postgresql" else "")
            )
            if connection.vendor == "postgresql":
                cursor.execute("DROP FUNCTION refuse_boom()")
    assert not result.imported
    assert "nothing was imported" in result.messages()[0]
    assert InKindContribution.objects.count() == 0
    assert not Organization.objects.filter(name__startswith="Spender ").exists()
    assert not HistoryEntry.objects.filter(content_type__model="inkindcontribution").exists()


def test_only_editors_of_the_organization_import(affiliate, viewer, outsider):
    for actor in (viewer, outsider):
        result = import_file(CORPUS / "utf8.csv", affiliate, actor)
        assert not result.imported
        assert "only for organizations you edit for" in result.messages()[0]


def test_partnerships_and_donors_match_ignoring_case_accents_and_spacing(
    tmp_path, affiliate, editor, directory
):
    path = write_csv(
        tmp_path / "loose.csv",
        [
            ["Donor", "Partnership", "Date", "Category", "Value", "Currency"],
            ["  TESTLAND   museum ", "digitalisierung  MUSEUM", "2024-03-01", "venue", "10", "EUR"],
            ["Testland Muséum", "", "2024-03-02", "venue", "10", "EUR"],
            ["Somebody", "No such partnership", "2024-03-03", "venue", "10", "EUR"],
        ],
        delimiter=",",
    )
    result = run_import(path, organization=affiliate, actor=editor)
    assert result.messages() == [
        "row 4, column 'Partnership': 'No such partnership' is not the title of a partnership you can see."
    ]
    import_file(path, affiliate, editor, skip_invalid=True)
    assert set(InKindContribution.objects.values_list("donor_organization", flat=True)) == {
        directory["museum"].pk
    }


def test_the_mapping_is_proposed_from_headers_in_several_languages_and_remembered(
    affiliate, editor
):
    assert propose_mapping(
        ["Betrag", "Fecha", "Donateur", "Kategorie", "Menge", "Einheit", "Währung", "Notiz"]
    ) == {
        "Betrag": "value",
        "Fecha": "date",
        "Donateur": "donor",
        "Kategorie": "category",
        "Menge": "quantity",
        "Einheit": "unit",
        "Währung": "currency",
        "Notiz": "description",
    }
    assert propose_mapping(["Wert (EUR)", "Datum der Spende", "Frage"])["Wert (EUR)"] == "value"
    remember_mapping(
        actor=editor, organization=affiliate, mapping={"Frage": "description", "Notiz": ""}
    )
    assert proposed_mapping(["Frage", "Notiz"], affiliate) == {"Frage": "description", "Notiz": ""}


def test_a_running_number_called_id_never_matches_hub_records(tmp_path, affiliate, editor):
    path = write_csv(
        tmp_path / "numbered.csv",
        [["ID", *HEADER], ["1", "A", "01.03.2024", "Raum", "x", "1", "EUR"]],
    )
    first = import_file(path, affiliate, editor)
    assert first.mapping["ID"] == ""
    other = write_csv(
        tmp_path / "numbered2.csv",
        [
            ["ID", *HEADER],
            [str(InKindContribution.objects.get().pk), "B", "02.03.2024", "Raum", "y", "1", "EUR"],
        ],
    )
    assert import_file(other, affiliate, editor, mapping={"ID": "hub_id"}).created == 1


def test_the_mapping_option_of_the_command():
    assert parse_mapping_option("Wert (EUR)=value, Bemerkung=-") == {
        "Wert (EUR)": "value",
        "Bemerkung": "",
    }
    with pytest.raises(ValueError, match="is not a field"):
        parse_mapping_option("Wert=worth")


def command(*args):
    """Run the command; its exit status (0 when it returns normally), output and errors."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_contributions", *args, stdout=out, stderr=err)
    except SystemExit as stopped:
        return stopped.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_exit_codes(affiliate, directory):
    broken = str(FILES / "sachspenden_2024_fehler.xlsx")
    good = str(FILES / "sachspenden_2024.xlsx")
    code, out, _err = command(broken, "--organization", "WMTL", "--dry-run")
    assert code == 1
    assert "row 7, column 'Wert (EUR)': '12,5.0' is not a number." in out.splitlines()
    assert InKindContribution.objects.count() == 0
    assert command(broken, "--organization", "WMTL")[0] == 1
    assert InKindContribution.objects.count() == 0
    assert command(good, "--organization", "wmtl", "--dry-run")[0] == 0
    assert InKindContribution.objects.count() == 0
    code, out, _err = command(broken, "--organization", "WMTL", "--skip-invalid")
    assert code == 0
    assert "Imported 5 contributions" in out
    code, out, _err = command(good, "--organization", "WMTL")
    assert code == 0
    assert "Imported 2 contributions" in out
    assert "5 already imported" in out
    assert command(str(CORPUS / "zip_bomb.xlsx"), "--organization", "WMTL")[0] == 2
    assert command("/no/such/file.csv", "--organization", "WMTL")[0] == 2
    code, _out, err = command(good, "--organization", "NOPE")
    assert code == 2
    assert "NOPE" in err
    code, out, _err = command(
        str(CORPUS / "utf8.csv"),
        "--organization",
        "WMTL",
        "--mapping",
        "Beschreibung=-",
        "--dry-run",
    )
    assert code == 0
