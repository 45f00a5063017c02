"""The Wikidata pages against the local stand-in for Wikidata: the search behind the organization
form, taking an item's facts (only those the person ticks), failures shown as messages."""

import pytest
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.wiki.tests.wikidata_server import wikidata  # noqa: F401

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_search_fragment_lists_label_description_and_qid(client_for, editor, wikidata):  # noqa: F811
    response = client_for(editor).get(
        reverse("wikidata:search"), {"q": "University of Duhok"}, **HTMX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert '<span class="visually-hidden"> University of Duhok (Q3666468)</span>' in text
    assert "university in Iraq" in text
    assert f"{reverse('wikidata:pick')}?qid=Q3666468" in text


def test_search_page_works_without_javascript(client_for, editor, wikidata):  # noqa: F811
    response = client_for(editor).get(reverse("wikidata:search"), {"q": "nothing like it"})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "Wikidata has no item of that name." in response.content.decode()


def test_search_when_wikidata_is_down_says_so(client_for, editor, wikidata):  # noqa: F811
    wikidata.stop()
    response = client_for(editor).get(
        reverse("wikidata:search"), {"q": "University of Duhok"}, **HTMX
    )
    assert response.status_code == 200
    assert "Wikidata cannot be reached now" in response.content.decode()


def test_picking_an_item_fills_the_forms_field(client_for, editor):
    response = client_for(editor).get(
        reverse("wikidata:pick"), {"qid": "Q3666468", "label": "University of Duhok"}, **HTMX
    )
    text = response.content.decode()
    assert 'name="wikidata_id" value="Q3666468"' in text
    assert 'id="id_wikidata_id"' in text
    assert "Chosen: University of Duhok (Q3666468)" in text
    bad = client_for(editor).get(reverse("wikidata:pick"), {"qid": "<script>"}, **HTMX)
    assert 'value=""' in bad.content.decode()


def _new_organization(client, **extra):
    data = {"name": "University of Duhok", "kind": "university_research", "status": "active"}
    data.update(extra)
    return client.post(reverse("directory:create"), data)


def test_saving_a_new_item_leads_to_its_facts_and_takes_the_ticked_ones(
    client_for,
    editor,
    wikidata,  # noqa: F811
):
    client = client_for(editor)
    response = _new_organization(client, wikidata_id=" q3666468 ", wikidata_fetch="1")
    organization = Organization.objects.get(name="University of Duhok")
    apply_url = reverse("wikidata:apply", args=[organization.pk])
    assert response.status_code == 302
    assert response["Location"] == apply_url

    page = client.get(apply_url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "http://uod.ac" in text
    assert "Iraq" in text
    assert 'value="website" id="take-website" checked' in text

    client.post(apply_url, {"qid": "Q3666468", "take": ["website", "country", "wikidata_labels"]})
    organization.refresh_from_db()
    assert organization.website == "http://uod.ac"
    assert organization.country == "IQ"
    assert organization.wikidata_labels == {"en": "University of Duhok", "ar": "جامعة دهوك"}
    entry = HistoryEntry.objects.filter(object_id=organization.pk).order_by("pk").last()
    assert entry.changes["website"] == ["", "http://uod.ac"]


def test_what_a_person_typed_is_kept_unless_they_tick_wikidatas_value(
    client_for,
    editor,
    wikidata,  # noqa: F811
):
    organization = OrganizationFactory(name="UoD", website="https://typed.example", country="")
    client = client_for(editor)
    url = reverse("wikidata:apply", args=[organization.pk])
    page = client.get(url, {"qid": "Q3666468"}).content.decode()
    assert "https://typed.example" in page
    assert 'value="website" id="take-website">' in page  # shown, not ticked
    assert 'value="country" id="take-country" checked' in page

    client.post(url, {"qid": "Q3666468", "take": ["country"]})
    organization.refresh_from_db()
    assert organization.website == "https://typed.example"
    assert (organization.wikidata_id, organization.country) == ("Q3666468", "IQ")


def test_without_the_fetch_box_saving_goes_to_the_organization(client_for, editor):
    response = _new_organization(client_for(editor), wikidata_id="Q3666468")
    assert (
        response["Location"]
        == Organization.objects.get(name="University of Duhok").get_absolute_url()
    )


def test_a_bad_or_missing_item_is_a_message_not_an_error(client_for, editor, wikidata):  # noqa: F811
    organization = OrganizationFactory()
    url = reverse("wikidata:apply", args=[organization.pk])
    missing = client_for(editor).get(url, {"qid": "Q99999999"})
    assert missing.status_code == 502
    assert "Wikidata has no item Q99999999." in missing.content.decode()
    bad = client_for(editor).get(url, {"qid": "pop"})
    assert bad.status_code == 200
    assert "is not a Wikidata item" in bad.content.decode()
    assert "has no Wikidata item yet" in bad.content.decode()


def test_apply_when_wikidata_is_down_changes_nothing(client_for, editor, wikidata):  # noqa: F811
    organization = OrganizationFactory()
    wikidata.stop()
    url = reverse("wikidata:apply", args=[organization.pk])
    response = client_for(editor).post(url, {"qid": "Q3666468", "take": ["website"]})
    assert response.status_code == 502
    assert "cannot be reached" in response.content.decode()
    organization.refresh_from_db()
    assert organization.wikidata_id == ""


def test_a_viewer_may_not_take_facts_into_an_organization(client_for, viewer, wikidata):  # noqa: F811
    organization = OrganizationFactory()
    response = client_for(viewer).post(
        reverse("wikidata:apply", args=[organization.pk]), {"qid": "Q3666468"}
    )
    assert response.status_code == 403
    assert wikidata.requests == []


def test_the_directory_links_the_wikidata_pages_for_those_who_use_them(client_for, manager, editor):
    linked = OrganizationFactory(wikidata_id="Q3666468")
    listing = client_for(manager).get(reverse("directory:list")).content.decode()
    assert reverse("wikidata:reconcile") in listing
    assert reverse("wikidata:reconcile") not in (
        client_for(editor).get(reverse("directory:list")).content.decode()
    )
    apply_url = reverse("wikidata:apply", args=[linked.pk])
    assert apply_url in client_for(editor).get(linked.get_absolute_url()).content.decode()
    assert apply_url not in client_for(None).get(linked.get_absolute_url()).content.decode()
