"""A chapter's partnership table on its wiki, imported through the pages against a real MediaWiki:
links and templates in the cells read as their text, partners matched to the directory, every
partnership keeping the page and revision it came from, and a second import adding nothing."""

import pytest
from django.urls import reverse

from hub.directory.factories import OrganizationFactory
from hub.imports.models import ImportedRecord, ImportJob
from hub.imports.tests.test_import_views import mapping_post
from hub.partnerships.models import Partnership
from hub.wiki.tests.conftest import mediawiki, wiki_allowed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TITLE = "Wikimedia Testland/Partnerschaften"
PAGE = """\
Die Partnerschaften von [[Wikimedia Testland]].

{| class="wikitable sortable"
|+ Partnerschaften
! Projekt !! Partner !! Ziele !! Status !! Beginn
|-
| [[Digitalisierung der Sammlung]] || [[w:de:Städtisches Museum Graz|Stadtisches Museum Graz]] (Gastgeber) || Inhalte || {{Status|laufend}} || 2024-03-01
|-
| ''Schreibwerkstatt'' || [[National Library of Testland]] || Inhalte; Öffentlichkeitsarbeit || abgeschlossen || 2023-01-10
|-
| Fotowettbewerb || {{flag|Testland}} Neue Galerie am Markt || Wunder || laufend ||
|}
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def page(mediawiki):  # noqa: F811 (the fixture imported above)
    mediawiki.edit(TITLE, PAGE)
    return mediawiki


def test_a_wiki_table_of_partnerships_imports_and_keeps_its_revision(
    client_for,
    editor,
    affiliate,
    page,
    wiki_allowed,  # noqa: F811 (the fixture imported above)
):
    museum = OrganizationFactory(name="Städtisches Museum Graz", kind="museum")
    library = OrganizationFactory(name="The National Library of Testland", kind="library")
    client = client_for(editor)

    def read():
        response = client.post(
            reverse("imports:import_wiki"),
            {
                "kind": "partnerships",
                "organization": affiliate.pk,
                "wiki": "",
                "address": page.api_url,
                "title": TITLE,
                "day_first": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        job = ImportJob.objects.latest("pk")
        assert job.kind == "partnerships"
        client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
        job.refresh_from_db()
        return job

    job = read()
    assert job.mapping == {
        "Projekt": "title",
        "Partner": "partners",
        "Ziele": "goals",
        "Status": "status",
        "Beginn": "start_date",
    }
    detail = client.get(job.get_absolute_url()).content.decode()
    # the bad row is named, by row and column, with its value
    assert "row 4, column &#x27;Ziele&#x27;" in detail
    assert "Wunder" in detail
    assert job.preview["valid_rows"] == 2
    client.post(reverse("imports:import_confirm", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.status == "done", job.preview
    digital = Partnership.objects.get(title="Digitalisierung der Sammlung")
    assert set(digital.participants.values_list("organization_id", "role")) == {
        (affiliate.pk, "lead"),
        (museum.pk, "host"),
    }
    assert (
        Partnership.objects.get(title="Schreibwerkstatt")
        .participants.filter(organization=library)
        .exists()
    )
    record = ImportedRecord.objects.get(object_id=digital.pk, kind="partnerships")
    assert record.source == job.source_url
    assert f"oldid={job.source_revision}" in record.source
    assert record.source_revision == job.source_revision
    page_html = client.get(digital.get_absolute_url()).content.decode()
    assert job.source_url.replace("&", "&amp;") in page_html

    again = read()
    assert again.preview["already_imported"] == 2
    client.post(reverse("imports:import_confirm", args=[again.pk]), {"skip_invalid": "on"})
    assert Partnership.objects.count() == 2
