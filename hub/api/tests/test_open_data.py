"""Open-data dumps: only public records, three formats, README and CC0; the page and its task."""

import csv
import json

import pytest

from hub.api import opendata
from hub.api.tasks import rebuild_open_data
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Person
from hub.funding.factories import make_contribution, make_grant


@pytest.fixture
def dumps(registry, affiliate, museum, tmp_path):
    Person.objects.create(
        organization=museum, steward=affiliate, name="Ada Secret", consent_note="x"
    )
    make_contribution(
        receiving_organization=affiliate,
        donor_organization=museum,
        description="Open room",
        partnership=registry["private"],
    )
    make_contribution(
        receiving_organization=affiliate,
        donor_organization=museum,
        description="Hidden gift",
        confidential=True,
    )
    make_grant(recipient=affiliate, title="Open grant", partnership=registry["public"])
    make_grant(recipient=affiliate, title="Secret grant", confidential=True)
    opendata.build(tmp_path)
    return tmp_path


def test_only_public_records_are_published(dumps, registry):
    everything = "".join(
        path.read_text(encoding="utf-8") for path in dumps.iterdir() if path.is_file()
    )
    for hidden in (
        "Movement one",
        "Private one",
        "Their private",
        "Ada Secret",
        "Hidden gift",
        "Secret grant",
    ):
        assert hidden not in everything
    partnerships = json.loads((dumps / "partnerships.json").read_text())
    assert [p["title"] for p in partnerships] == ["Public one"]
    contributions = json.loads((dumps / "inkind-contributions.json").read_text())
    assert [(c["description"], c["partnership_id"]) for c in contributions] == [("Open room", None)]
    grants = json.loads((dumps / "grants.json").read_text())
    assert [(g["title"], g["partnership_id"]) for g in grants] == [
        ("Open grant", registry["public"].pk)
    ]
    participant_ids = {
        row["partnership_id"] for row in csv.DictReader((dumps / "participants.csv").open())
    }
    assert participant_ids == {str(registry["public"].pk)}


def test_formats_readme_and_licence(dumps, museum):
    organizations = list(csv.DictReader((dumps / "organizations.csv").open(encoding="utf-8")))
    assert {row["name"] for row in organizations} >= {"Testland Museum", "Wikimedia Testland"}
    graph = json.loads((dumps / "organizations.jsonld").read_text())
    assert graph["@context"] == "https://schema.org"
    node = next(n for n in graph["@graph"] if n["name"] == "Testland Museum")
    assert node["sameAs"] == "https://www.wikidata.org/entity/Q12345"
    assert node["@type"] == "Organization"
    projects = json.loads((dumps / "partnerships.jsonld").read_text())["@graph"]
    assert projects[0]["@type"] == "Project"
    readme = (dumps / "README.md").read_text()
    assert "CC0" in readme
    assert "| `wikidata_id` |" in readme
    assert "CC0 1.0" in (dumps / "LICENCE.txt").read_text()
    manifest = json.loads((dumps / "manifest.json").read_text())
    assert manifest["licence"] == "CC0-1.0"
    assert {d["name"]: d["count"] for d in manifest["datasets"]}["partnerships"] == 1
    assert not [p for p in dumps.iterdir() if p.name.startswith(".building")]


def test_command_writes_a_folder(registry, tmp_path, capsys):
    from django.core.management import call_command

    call_command("export_open_data", str(tmp_path / "out"))
    assert (tmp_path / "out" / "partnerships.csv").exists()
    assert "partnerships: 1 records" in capsys.readouterr().out


def test_page_lists_downloads_and_staff_rebuild_runs_the_task(
    client_for, staff, viewer, registry, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    page = client_for(viewer).get("/api/open-data/")
    assert b"have not been built yet" in page.content
    assert b"Rebuild" not in page.content
    assert client_for(viewer).post("/api/open-data/rebuild/").status_code == 403
    response = client_for(staff).post("/api/open-data/rebuild/")
    assert response.status_code == 302
    page = client_for(viewer).get("/api/open-data/")
    assert b"partnerships.jsonld" in page.content
    download = client_for(None).get("/api/open-data/partnerships.json")
    assert download.status_code == 200
    assert json.loads(b"".join(download.streaming_content))[0]["title"] == "Public one"
    assert client_for(None).get("/api/open-data/..%2Fsecret").status_code == 404


def test_task_returns_the_record_count(registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert rebuild_open_data.call() >= 1
    assert (tmp_path / "open-data" / "manifest.json").exists()


FORMULAS = [
    '=HYPERLINK("https://evil.example","click")',
    "+1+1",
    "@SUM(A1:A9)",
    "  =1+1",
    "\uff1d1+1",
]


def test_csv_cells_are_formula_neutralized_and_json_stays_raw(affiliate, tmp_path):
    for name in FORMULAS:
        OrganizationFactory(name=name, city=f"-{name}")
        make_contribution(
            receiving_organization=affiliate, donor_organization=None, donor_name=name
        )
    opendata.build(tmp_path)
    with (tmp_path / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        organizations = list(csv.DictReader(handle))
    with (tmp_path / "inkind-contributions.csv").open(encoding="utf-8", newline="") as handle:
        contributions = list(csv.DictReader(handle))
    quoted = {f"'{name}" for name in FORMULAS}
    assert {row["name"] for row in organizations} >= quoted
    assert {row["city"] for row in organizations} >= {f"'-{name}" for name in FORMULAS}
    # The service trims the donor's name; what is left still begins with a trigger.
    assert {row["donor_name"] for row in contributions} == {f"'{n.strip()}" for n in FORMULAS}
    assert {o["name"] for o in json.loads((tmp_path / "organizations.json").read_text())} >= set(
        FORMULAS
    )
    graph = json.loads((tmp_path / "organizations.jsonld").read_text())["@graph"]
    assert {node["name"] for node in graph} >= set(FORMULAS)


@pytest.mark.django_db
def test_wikidata_identifiers_and_labels_are_in_the_api_and_every_dump(client, tmp_path):
    museum = OrganizationFactory(
        name="Identified Museum",
        wikidata_id="Q190804",
        ror_id="05gq02987",
        viaf_id="127130543",
        isil="DE-1",
        wikidata_labels={"en": "Rijksmuseum", "ar": "متحف رايكس"},
    )
    item = client.get(f"/api/v1/organizations/{museum.pk}").json()
    assert (item["ror_id"], item["isil"], item["viaf_id"]) == ("05gq02987", "DE-1", "127130543")
    assert item["wikidata_labels"] == {"en": "Rijksmuseum", "ar": "متحف رايكس"}
    opendata.build(tmp_path)
    with (tmp_path / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["name"] == "Identified Museum")
    assert row["ror_id"] == "05gq02987"
    assert row["wikidata_labels"] == "ar: متحف رايكس|en: Rijksmuseum"
    graph = json.loads((tmp_path / "organizations.jsonld").read_text())["@graph"]
    node = next(n for n in graph if n["name"] == "Identified Museum")
    assert node["sameAs"] == [
        "https://www.wikidata.org/entity/Q190804",
        "https://ror.org/05gq02987",
        "https://viaf.org/viaf/127130543",
    ]
