"""The organizations and grants import commands: the same code as the pages, the in-kind
import's exit codes."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.funding.models import Grant

pytestmark = pytest.mark.django_db


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def run(command, path, **options):
    out = StringIO()
    try:
        call_command(command, path, stdout=out, stderr=StringIO(), **options)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_organizations_command(tmp_path, affiliate, staff):
    OrganizationFactory(name="Landesarchiv Testland", kind="archive", wikidata_id="Q4242")
    good = write_csv(
        tmp_path / "orgs.csv",
        [
            ["Name", "Art", "Land", "Webseite", "Wikidata"],
            [
                "Stadtbibliothek Graz",
                "Bibliothek",
                "Österreich",
                "https://stadtbibliothek.example",
                "",
            ],
            ["Archiv", "Archiv", "DE", "", "Q4242"],
        ],
    )
    bad = write_csv(tmp_path / "bad.csv", [["Name", "Land"], ["X", "Atlantis"]])
    code, out = run("import_organizations", bad, organization="WMTL", user=staff.username)
    assert code == 1
    assert "row 2, column 'Land'" in out
    assert run("import_organizations", good, organization="NOPE")[0] == 2
    code, out = run("import_organizations", good, organization="WMTL", user=staff.username)
    assert code == 0, out
    library = Organization.objects.get(name="Stadtbibliothek Graz")
    assert (library.kind, library.country.code) == ("library", "AT")
    assert Organization.objects.filter(wikidata_id="Q4242").count() == 1  # matched, not added
    code, out = run("import_organizations", good, organization="WMTL", user=staff.username)
    assert code == 0
    assert "Imported 0 organizations" in out


def test_grants_command(tmp_path, affiliate):
    path = write_csv(
        tmp_path / "grants.csv",
        [
            ["Titel", "Geldgeber", "Betrag", "Status", "Beginn"],
            ["Fotowettbewerb", "Kulturstiftung Testland", "12.500,00 €", "bewilligt", "01.02.2024"],
        ],
    )
    code, out = run("import_grants", path, organization="WMTL")
    assert code == 0, out
    grant = Grant.objects.get()
    assert (grant.recipient, str(grant.amount), grant.currency, grant.status) == (
        affiliate,
        "12500.00",
        "EUR",
        "awarded",
    )
    assert grant.funder.kind == "funder"
    assert run("import_grants", path, organization="WMTL")[1].startswith("Imported 0 grants")
