"""The outcomes pages through the test client: entering figures, seeing them with their
definition, totals that leak nothing, and bad input answered on the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.outcomes.factories import make_figure
from hub.outcomes.models import Figure
from hub.partnerships.factories import make_partnership


@pytest.fixture
def partnership(affiliate, editor):
    return make_partnership(lead=affiliate, actor=editor, title="Trams")


def _form(metric_pk, **data):
    return {
        "definition": metric_pk,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "source": "hand",
        "value": "",
        "keys": "",
        "note": "",
        **data,
    }


def test_editor_records_a_figure_and_sees_it_with_its_definition(client_for, editor, partnership):
    from hub.outcomes.factories import definition

    uploads = definition("commons_uploads")
    client = client_for(editor)
    response = client.post(
        reverse("outcomes:figure_create", args=[partnership.pk]),
        _form(uploads.pk, keys="File:Tram 1.jpg\nFile:Tram_1.jpg\nFile:Tram 2.jpg"),
    )
    assert response.status_code == 302
    figure = Figure.objects.get()
    assert figure.value == 2
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert f'href="{uploads.get_absolute_url()}">Commons uploads (v1)</a>' in page
    assert "Each Commons file counted once (distinct keys): 2, from 1 figure." in page
    org_page = client.get(partnership.lead.get_absolute_url()).content.decode()
    assert "Outcomes of its partnerships" in org_page
    assert "Commons uploads (v1)" in org_page


def test_bad_input_is_answered_on_the_form(client_for, editor, partnership):
    from hub.outcomes.factories import definition

    client = client_for(editor)
    url = reverse("outcomes:figure_create", args=[partnership.pk])
    response = client.post(url, _form(definition("people_reached").pk, keys="Alice"))
    assert response.status_code == 200
    assert "This metric is counted as a total; it takes no keys." in response.content.decode()
    response = client.post(
        url, _form(definition("people_reached").pk, value="5", period_end="2025-01-01")
    )
    assert "The period cannot end before it starts." in response.content.decode()
    response = client.post(url, _form(definition("people_reached").pk))
    assert "Give a value, or the keys to count." in response.content.decode()
    assert not Figure.objects.exists()


def test_private_figures_leak_into_no_total(
    client_for, affiliate, editor, partnership, anonymous, outsider
):
    make_figure(partnership=partnership, metric="people_reached", value=40, actor=editor)
    private = make_partnership(lead=affiliate, actor=editor, title="Hidden", visibility="private")
    make_figure(partnership=private, metric="people_reached", value=1234567, actor=editor)
    make_figure(partnership=private, metric="funds_raised", value=777, actor=editor)
    for user in (anonymous, outsider):
        client = client_for(user)
        for url in (reverse("outcomes:index"), affiliate.get_absolute_url()):
            page = client.get(url).content.decode()
            assert '<td class="number">40 ' in page
            assert "1234607" not in page
            assert "1234567" not in page
            assert "Funds raised" not in page
    member = client_for(editor).get(reverse("outcomes:index")).content.decode()
    assert '<td class="number">1234607 ' in member
    assert "Funds raised (v1)" in member


def test_commons_count_with_the_wiki_down_shows_a_message(
    client_for, editor, partnership, settings
):
    settings.WIKI_ALLOWED_HOSTS = ["127.0.0.1"]
    response = client_for(editor).post(
        reverse("outcomes:commons_fetch", args=[partnership.pk]),
        {
            "category": "Trams",
            "wiki": "http://127.0.0.1:9/api.php",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
        },
    )
    assert response.status_code == 200
    assert "127.0.0.1 cannot be reached" in response.content.decode()
    assert not Figure.objects.exists()


def test_dashboard_import_names_the_bad_row(client_for, editor, partnership):
    upload = SimpleUploadedFile(
        "course.csv", b"course_slug,editors\ntrams,many\n", content_type="text/csv"
    )
    response = client_for(editor).post(
        reverse("outcomes:dashboard_import", args=[partnership.pk]),
        {"file": upload, "period_start": "2026-01-01", "period_end": "2026-01-31"},
    )
    assert response.status_code == 200
    assert "Row 2, column editors: &#x27;many&#x27; is not a number" in response.content.decode()
    assert not Figure.objects.exists()


def test_editing_and_removing_a_figure(client_for, editor, partnership):
    figure = make_figure(partnership=partnership, metric="people_reached", value=3, actor=editor)
    client = client_for(editor)
    response = client.post(
        reverse("outcomes:figure_edit", args=[figure.pk]),
        _form(figure.definition_id, value="8"),
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == 8
    history = client.get(reverse("outcomes:figure_history", args=[figure.pk]))
    assert history.status_code == 200
    client.post(reverse("outcomes:figure_delete", args=[figure.pk]))
    assert not Figure.objects.exists()


def test_definition_page_prints_method_sources_and_unconfirmed_flag(db, client):
    page = client.get(reverse("outcomes:definition", args=["people_reached", 1])).content.decode()
    assert "No source confirms this wording" in page
    page = client.get(reverse("outcomes:definition", args=["participants", 1])).content.decode()
    assert "Organisers, social-media followers and donors are not participants." in page
    assert "https://meta.wikimedia.org/wiki/Grants:Metrics" in page
    assert client.get(reverse("outcomes:definition", args=["participants", 9])).status_code == 404


def test_dashboard_shows_the_movement_totals(client_for, anonymous, partnership):
    make_figure(partnership=partnership, metric="commons_uploads", keys=["File:A.jpg"])
    page = client_for(anonymous).get(reverse("mapping:dashboard")).content.decode()
    assert "Outcomes across the movement" in page
    assert "Each Commons file counted once (distinct keys): 1, from 1 figure." in page


def test_outcomes_page_filters_by_year_and_refuses_a_bad_one(client, partnership):
    make_figure(partnership=partnership, metric="people_reached", value=9)
    assert '<td class="number">9 ' in client.get(reverse("outcomes:index")).content.decode()
    page = client.get(reverse("outcomes:index"), {"year": "2030"}).content.decode()
    assert "Figures whose period overlaps 2030." in page
    assert '<td class="number">9 ' not in page
    bad = client.get(reverse("outcomes:index"), {"year": "soon"})
    assert bad.status_code == 200
    assert "Enter a whole number." in bad.content.decode()


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_outcome_panels_ask_a_fixed_number_of_queries(client_for, editor, affiliate):
    def add(first, last):
        for i in range(first, last):
            p = make_partnership(lead=affiliate, actor=editor, title=f"P{i}")
            make_figure(
                partnership=p, metric="commons_uploads", keys=[f"File:{i}.jpg", "File:x.jpg"]
            )
            make_figure(partnership=p, metric="people_reached", value=i)
            make_figure(partnership=p, metric="page_views", value=i, source_ref=f"dashboard:c{i}")

    client = client_for(editor)
    urls = [affiliate.get_absolute_url(), reverse("outcomes:index")]
    add(0, 2)
    client.get(urls[0])  # the session and the caches warm
    few = [_queries(client, url) for url in urls]
    add(2, 12)
    assert [_queries(client, url) for url in urls] == few
