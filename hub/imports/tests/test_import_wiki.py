"""Importing from a wiki page, against a real MediaWiki: the page's tables offered as a workbook's
sheets, the job keeping the revision it was read from, and every refusal said on the form."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from hub.funding.models import InKindContribution
from hub.imports.models import ImportJob
from hub.imports.tests.test_import import directory  # noqa: F401 (a fixture)
from hub.imports.tests.test_import_views import mapping_post
from hub.wiki.tests.conftest import mediawiki, wiki_allowed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TITLE = "Wikimedia Testland/Partnerships 2024"
# Two tables: the in-kind support the chapter received (the hub recognises its header), then a
# list shaped like Meta's partnership tables (domain.md §3.3): a caption, a header row of ! cells,
# links and templates in the cells.
PAGE = """\
Partnerships and support of [[Wikimedia Testland]] in 2024.

== In-kind support ==
{| class="wikitable"
|+ Sachspenden 2024
! Spender !! Datum !! Kategorie !! Beschreibung !! Wert (EUR)
|-
| [[w:de:Testland Museum|Testland Museum]] || 01.03.2024 || {{Kategorie|Raum}} || Vortragssaal<ref>Invoice 12</ref> || 1.200,00
|-
| [[Testland Museum]] || 04.05.2024 || Raum || ''Workshop'' room || 300,00
|}

== Partnership interactions ==
{| class="wikitable sortable"
|-
! Activity/Purpose of Meeting !! Date and Duration !! Institute !! Location !! Names of Attendees !! Links
|-
| Planning meeting || 2016-03-02, 2 hours || [[National Library of Wales|NLW]] || {{flag|Wales}} Aberystwyth || A, B || [https://example.org/notes notes]
|}
"""
INTERACTIONS = [
    "Activity/Purpose of Meeting",
    "Date and Duration",
    "Institute",
    "Location",
    "Names of Attendees",
    "Links",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def page_revision(mediawiki):  # noqa: F811 (the fixture imported above)
    mediawiki.edit(TITLE, PAGE)
    return mediawiki


def read_page(client, organization, wiki, title, **extra):
    return client.post(
        reverse("imports:import_wiki"),
        {
            "kind": "contributions",
            "organization": organization.pk,
            "wiki": "",
            "address": wiki.api_url,
            "title": title,
            "day_first": "1",
            **extra,
        },
    )


def errors_of(response) -> list[str]:
    form = response.context["form"]
    return [error for errors in form.errors.values() for error in errors]


@pytest.mark.usefixtures("directory", "page_revision")
def test_the_tables_of_a_page_are_offered_and_the_second_is_mapped(
    client_for,
    editor,
    affiliate,
    wiki_allowed,  # noqa: F811
):
    client = client_for(editor)
    form = client.get(reverse("imports:import_wiki"), {"kind": "contributions"})
    assert form.status_code == 200
    assert '<option value="contributions" selected>' in form.content.decode()

    response = read_page(client, affiliate, wiki_allowed, TITLE)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:import_mapping", args=[job.pk])
    # where the records come from: the revision read, and its permanent address
    assert job.source_revision > 0
    source = urlsplit(job.source_url)
    assert source.netloc == urlsplit(wiki_allowed.api_url).netloc
    assert parse_qs(source.query) == {"oldid": [str(job.source_revision)]}
    assert job.original_name == f"{TITLE}.wikitext"
    assert job.sheet == "Sachspenden 2024"  # the table whose header the hub recognises

    page = client.get(response.url).content.decode()
    assert f"Wiki page “{TITLE}”" in page
    assert f'href="{job.source_url}"' in page
    assert '<label class="cdx-label__label" for="id_sheet">' in page
    assert '<option value="Sachspenden 2024" selected>' in page
    assert '<option value="Table 2">' in page

    url = reverse("imports:import_mapping", args=[job.pk])
    response = client.post(url, {"sheet": "Table 2", "read_sheet": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.sheet, job.headers) == ("Table 2", INTERACTIONS)
    page = client.get(url).content.decode()
    assert '<option value="Table 2" selected>' in page
    places = [page.index(f">{header}</label></th>") for header in INTERACTIONS]
    assert places == sorted(places)


@pytest.mark.usefixtures("page_revision")
def test_links_and_templates_arrive_as_their_text_and_the_rows_import(
    client_for,
    editor,
    affiliate,
    wiki_allowed,  # noqa: F811
    directory,  # noqa: F811
):
    client = client_for(editor)
    read_page(client, affiliate, wiki_allowed, TITLE)
    job = ImportJob.objects.get()
    assert job.headers == ["Spender", "Datum", "Kategorie", "Beschreibung", "Wert (EUR)"]
    assert job.estimated_rows == 2

    client.post(reverse("imports:import_mapping", args=[job.pk]), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.preview["rows"], job.preview["problem_count"]) == (2, 0)
    client.post(reverse("imports:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    # the link's label and the template's argument, not their markup; the <ref> left out
    contributions = InKindContribution.objects.order_by("date")
    assert [(c.donor_organization, c.category, c.description) for c in contributions] == [
        (directory["museum"], "venue_space", "Vortragssaal"),
        (directory["museum"], "venue_space", "Workshop room"),
    ]


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("No such partnership page", "127.0.0.1 has no page 'No such partnership page'."),
        ("No tables", "The wiki page 'No tables' has no table."),
    ],
)
def test_a_page_that_cannot_be_imported_is_a_form_error_naming_it(
    client_for,
    editor,
    affiliate,
    wiki_allowed,  # noqa: F811
    title,
    message,
):
    response = read_page(client_for(editor), affiliate, wiki_allowed, title)
    assert response.status_code == 200
    assert errors_of(response) == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_host_not_allowed_is_a_form_error_naming_it_and_never_asked(
    client_for,
    editor,
    affiliate,
    wiki_allowed,  # noqa: F811
):
    response = client_for(editor).post(
        reverse("imports:import_wiki"),
        {
            "kind": "contributions",
            "organization": affiliate.pk,
            "wiki": "",
            "address": "https://wiki.evil.example/w/api.php",
            "title": "Iberocoop",
            "day_first": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["address"] == [
        "The hub does not read pages from wiki.evil.example. It reads only the wikis its "
        "operator allows (WIKI_ALLOWED_HOSTS)."
    ]
    assert not ImportJob.objects.exists()


def test_the_wikis_offered_are_the_allowed_single_hosts(client_for, editor, settings):
    settings.WIKI_ALLOWED_HOSTS = ["*.wikimedia.org", "wiki.wikimedia.de", "*.wikipedia.org"]
    page = client_for(editor).get(reverse("imports:import_wiki")).content.decode()
    options = page[page.index('name="wiki"') : page.index("</select>", page.index('name="wiki"'))]
    assert '<option value="meta.wikimedia.org" selected>Meta-Wiki (meta.wikimedia.org)' in options
    assert '<option value="wiki.wikimedia.de">wiki.wikimedia.de' in options
    assert "wikipedia.org" not in options
    settings.WIKI_ALLOWED_HOSTS = ["wiki.wikimedia.de"]
    page = client_for(editor).get(reverse("imports:import_wiki")).content.decode()
    assert "meta.wikimedia.org" not in page


def test_neither_a_wiki_nor_an_address_is_a_form_error(client_for, editor, affiliate, settings):
    settings.WIKI_ALLOWED_HOSTS = ["wiki.wikimedia.de"]
    response = client_for(editor).post(
        reverse("imports:import_wiki"),
        {"kind": "contributions", "organization": affiliate.pk, "title": "X", "day_first": "1"},
    )
    assert response.context["form"].errors["address"] == [
        "Choose a wiki, or give the address of another."
    ]


@pytest.mark.usefixtures("page_revision")
def test_an_outsider_cannot_import_for_an_organization_they_do_not_edit_for(
    client_for,
    outsider,
    affiliate,
    other_affiliate,
    wiki_allowed,  # noqa: F811
):
    client = client_for(outsider)
    page = client.get(reverse("imports:import_wiki")).content.decode()
    assert f'<option value="{other_affiliate.pk}"' in page
    assert f'<option value="{affiliate.pk}"' not in page
    response = read_page(client, affiliate, wiki_allowed, TITLE)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_a_viewer_may_not_import_at_all(client_for, viewer):
    assert client_for(viewer).get(reverse("imports:import_wiki")).status_code == 403


def test_the_upload_page_links_to_the_wiki_import(client_for, editor):
    page = client_for(editor).get(reverse("imports:import_upload")).content.decode()
    assert f'href="{reverse("imports:import_wiki")}?kind=contributions"' in page
    assert "Import a table from a wiki page" in page
