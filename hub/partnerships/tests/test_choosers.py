"""Organizations and partnerships chosen by what a person types: the registry's filter, the
partnership form (with "Which one did you mean?" and a new organization added in place), and the
suggestions, without any internal id on the page."""

import re

import pytest
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership, Theme
from hub.partnerships.services import themes_from_names
from hub.partnerships.tests.test_views import _form_data

LIST = reverse("partnerships:list")
CREATE = reverse("partnerships:create")


def titles(response) -> list[str]:
    return sorted(p.title for p in response.context["page"].object_list)


@pytest.fixture
def museums(affiliate):
    warsaw = OrganizationFactory(
        name="Muzeum Narodowe w Warszawie", local_name="National Museum in Warsaw", country="PL"
    )
    krakow = OrganizationFactory(
        name="Muzeum Narodowe w Krakowie", wikidata_id="Q1345675", country="PL", city="Kraków"
    )
    make_partnership(lead=affiliate, partners=[warsaw], title="Warsaw scans")
    make_partnership(lead=affiliate, partners=[krakow], title="Kraków scans")
    return warsaw, krakow


def test_registry_filters_by_name_local_name_code_and_wikidata_item(client, museums, affiliate):
    assert titles(client.get(LIST, {"organization": "Warszawie"})) == ["Warsaw scans"]
    assert titles(client.get(LIST, {"organization": "national museum in warsaw"})) == [
        "Warsaw scans"
    ]
    assert titles(client.get(LIST, {"organization": "q1345675"})) == ["Kraków scans"]
    assert titles(client.get(LIST, {"organization": "wmtl"})) == ["Kraków scans", "Warsaw scans"]
    # An old bookmark with the number still works.
    assert titles(client.get(LIST, {"organization": str(museums[1].pk)})) == ["Kraków scans"]


def test_registry_filter_shows_the_chosen_organization_by_name(client, museums):
    response = client.get(LIST, {"organization": "warszawie"})
    box = re.search(r'<input[^>]*name="organization"[^>]*>', response.content.decode())
    assert box is not None
    assert 'value="Muzeum Narodowe w Warszawie (Poland)"' in box.group()
    assert 'list="id_organization-options"' in box.group()


def test_an_ambiguous_name_offers_the_candidates_and_shows_nothing_else(client, museums):
    response = client.get(LIST, {"organization": "Muzeum", "goal": "content"})
    text = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == []
    assert "Organization: Several organizations match “Muzeum”. Which one did you mean?" in text
    links = re.findall(r'<a href="(\?[^"]+)">([^<]+)</a>', text)
    chosen = {label: href for href, label in links if "Muzeum" in label}
    assert set(chosen) == {
        "Muzeum Narodowe w Warszawie (Poland)",
        "Muzeum Narodowe w Krakowie (Poland)",
    }
    # Each candidate keeps the rest of the filters and, followed, filters by that one.
    follow = client.get(LIST + chosen["Muzeum Narodowe w Krakowie (Poland)"].replace("&amp;", "&"))
    assert "goal=content" in chosen["Muzeum Narodowe w Krakowie (Poland)"]
    assert titles(follow) == ["Kraków scans"]


def test_an_unknown_name_is_told_by_field_and_matches_nothing(client, museums):
    response = client.get(LIST, {"organization": "National Museum in Poland"})
    text = response.content.decode()
    assert titles(response) == []
    assert "Organization: No organization matches “National Museum in Poland”." in text
    assert "Select a valid choice" not in text


def test_huge_or_odd_numbers_match_nothing_and_never_fail(client, museums):
    for value in ("99999999999999999999999", "#9223372036854775807", "-1", "0", "١٢", "1\x002"):
        response = client.get(LIST, {"organization": value})
        assert response.status_code == 200
        assert titles(response) == []


def test_new_partnership_form_has_empty_themes_and_saving_it_adds_no_theme(
    client_for, editor, affiliate
):
    client = client_for(editor)
    page = client.get(CREATE).content.decode()
    themes = re.search(r'<input[^>]*name="themes"[^>]*>', page)
    assert themes is not None
    assert "[]" not in themes.group()
    museum = OrganizationFactory(name="Glass Museum")
    response = client.post(CREATE, _form_data(affiliate, [museum], themes=""))
    assert response.status_code == 302
    assert not Theme.objects.exists()


def test_a_theme_of_punctuation_only_is_no_theme(db):
    assert themes_from_names(["[]", " , ", "GLAM"]) == list(Theme.objects.filter(slug="glam"))
    assert Theme.objects.count() == 1


def test_form_pages_show_no_internal_ids(client_for, editor, affiliate, museums):
    partnership = Partnership.objects.get(title="Warsaw scans")
    page = client_for(editor).get(reverse("partnerships:edit", args=[partnership.pk]))
    text = page.content.decode()
    assert 'value="Wikimedia Testland (WMTL)"' in text
    assert 'value="Muzeum Narodowe w Warszawie (Poland)"' in text
    for org in (affiliate, *museums):
        assert f"#{org.pk}" not in text
        assert f"organization={org.pk}" not in text


def test_an_ambiguous_participant_is_picked_from_radio_buttons(
    client_for, editor, affiliate, museums
):
    client = client_for(editor)
    data = _form_data(affiliate, ["Muzeum Narodowe"], title="Picked")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Which one did you mean?" in text
    radios = re.findall(r'name="participants-0-organization-pick" value="([^"]+)"', text)
    assert sorted(radios) == [
        "Muzeum Narodowe w Krakowie (Poland)",
        "Muzeum Narodowe w Warszawie (Poland)",
    ]
    assert 'value="Picked"' in text  # what was typed stays
    data["participants-0-organization-pick"] = "Muzeum Narodowe w Krakowie (Poland)"
    assert client.post(CREATE, data).status_code == 302
    created = Partnership.objects.get(title="Picked")
    assert set(created.participants.values_list("organization__name", flat=True)) == {
        "Wikimedia Testland",
        "Muzeum Narodowe w Krakowie",
    }


NEW_ORG = {
    "new_org-name": "Wien Museum",
    "new_org-kind": "museum",
    "new_org-country": "AT",
    "new_org-website": "https://www.wienmuseum.at/",
    "new_org-role": "partner",
}


def test_a_missing_partner_is_added_from_the_form(client_for, editor, affiliate, museums):
    data = _form_data(affiliate, [museums[0]], title="Vienna and Warsaw", **NEW_ORG)
    response = client_for(editor).post(CREATE, data)
    assert response.status_code == 302
    created = Partnership.objects.get(title="Vienna and Warsaw")
    wien = Organization.objects.get(name="Wien Museum")
    assert (wien.kind, wien.country, wien.website) == ("museum", "AT", "https://www.wienmuseum.at/")
    assert set(created.participants.values_list("organization", "role")) == {
        (affiliate.pk, "lead"),
        (museums[0].pk, "partner"),
        (wien.pk, "partner"),
    }
    assert HistoryEntry.objects.filter(object_id=str(wien.pk), action="create").exists()


def test_the_new_organization_alone_is_enough_as_a_partner(client_for, editor, affiliate):
    data = _form_data(affiliate, [], title="Only Vienna", **NEW_ORG)
    assert client_for(editor).post(CREATE, data).status_code == 302
    assert Partnership.objects.get(title="Only Vienna").participants.count() == 2


def test_a_refused_partnership_adds_no_organization_and_keeps_what_was_typed(
    client_for, editor, affiliate, museums
):
    data = _form_data(affiliate, [museums[0]], goals=[], **NEW_ORG)
    response = client_for(editor).post(CREATE, data)
    assert response.status_code == 200
    assert not Organization.objects.filter(name="Wien Museum").exists()
    assert not Partnership.objects.filter(title=data["title"]).exists()
    text = response.content.decode()
    assert 'value="Wien Museum"' in text
    assert 'value="Scans of glass plates"' in text


def test_a_new_organization_needs_a_kind_and_a_new_name(client_for, editor, affiliate, museums):
    client = client_for(editor)
    data = _form_data(affiliate, [museums[0]], **{**NEW_ORG, "new_org-kind": ""})
    response = client.post(CREATE, data)
    assert response.context["new_org"].errors["kind"] == ["Choose what kind of organization it is."]
    taken = {**NEW_ORG, "new_org-name": "muzeum narodowe w warszawie"}
    response = client.post(CREATE, _form_data(affiliate, [museums[1]], **taken))
    assert response.context["new_org"].errors["name"] == [
        "Muzeum Narodowe w Warszawie (Poland) is already in the directory: type it in a "
        "participant row above."
    ]
    assert (
        not Partnership.objects.exists()
        or not Partnership.objects.filter(title="Scans of glass plates").exists()
    )
    assert Organization.objects.filter(name__iexact="muzeum narodowe w warszawie").count() == 1


def test_an_unknown_participant_opens_the_new_organization_part(client_for, editor, affiliate):
    response = client_for(editor).post(CREATE, _form_data(affiliate, ["Wien Museum"]))
    text = response.content.decode()
    assert '<details class="new-organization" open>' in text
    assert "add it below under “Add a new organization”" in text


def test_a_movement_kind_cannot_be_added_from_the_form(client_for, editor, affiliate):
    data = _form_data(affiliate, [], **{**NEW_ORG, "new_org-kind": "chapter"})
    response = client_for(editor).post(CREATE, data)
    assert response.status_code == 200
    assert "kind" in response.context["new_org"].errors
    assert not Organization.objects.filter(name="Wien Museum").exists()


def test_partnership_suggestions_are_what_the_viewer_may_see(
    client_for, anonymous, outsider, editor, affiliate
):
    museum = OrganizationFactory(name="Museum")
    make_partnership(lead=affiliate, partners=[museum], title="Secret scans", visibility="private")
    make_partnership(lead=affiliate, partners=[museum], title="Open scans", visibility="public")
    url = reverse("partnerships:partnership_options")
    seen = {
        who: client_for(user).get(url, {"partnership": "scans"}).content.decode()
        for who, user in (("anonymous", anonymous), ("outsider", outsider), ("editor", editor))
    }
    assert "Open scans (WMTL)" in seen["anonymous"]
    assert "Secret" not in seen["anonymous"] + seen["outsider"]
    assert "Secret scans (WMTL)" in seen["editor"]


def test_organization_suggestions_follow_the_box_and_the_movement_hint(client, museums, affiliate):
    url = reverse("partnerships:organization_options")
    assert "Warszawie" in client.get(url, {"participants-3-organization": "warsz"}).content.decode()
    movement = client.get(url, {"movement": "1", "lead": "wiki"}).content.decode()
    assert movement == '<option value="Wikimedia Testland (WMTL)"></option>'
    assert client.get(url, {"q": "m"}).content == b""


def test_links_to_filtered_lists_carry_names_not_numbers(client_for, editor, museums):
    warsaw = museums[0]
    client = client_for(editor)
    page = client.get(warsaw.get_absolute_url()).content.decode()
    hrefs = re.findall(r'href="(/partnerships/[^"]*\?[^"]+)"', page)
    assert hrefs
    assert all(f"={warsaw.pk}" not in h for h in hrefs)
    start = next(h for h in hrefs if "with=" in h).replace("&amp;", "&")
    form = client.get(start).context["formset"].forms[0]
    assert form.initial["organization"] == warsaw
    listed = next(h for h in hrefs if "organization=" in h).replace("&amp;", "&")
    assert titles(client.get(listed)) == ["Warsaw scans"]
    partnership = Partnership.objects.get(title="Warsaw scans")
    detail = client.get(partnership.get_absolute_url()).content.decode()
    in_kind = re.search(r'href="(/in-kind/\?partnership=[^"]+)"', detail)
    assert in_kind is not None
    assert in_kind.group(1) == "/in-kind/?partnership=Warsaw%20scans%20%28WMTL%29"
    assert client.get(in_kind.group(1)).context["filters"].values["partnership"] == partnership


@pytest.mark.parametrize(
    "typed",
    ["Muzeum\x00 Narodowe w Warszawie", "\u202eMuzeum Narodowe w Warszawie\u200b", "x" * 5000],
)
def test_hostile_text_is_cleaned_before_any_lookup(client, museums, typed):
    response = client.get(LIST, {"organization": typed})
    assert response.status_code == 200
    options = client.get(reverse("partnerships:organization_options"), {"q": typed})
    assert options.status_code == 200
    if "x" not in typed:
        assert titles(response) == ["Warsaw scans"]


def test_a_name_matching_many_says_so_and_offers_the_first_ones(client, affiliate):
    for n in range(12):
        OrganizationFactory(name=f"City Museum {n}")
    response = client.get(LIST, {"organization": "city museum"})
    text = response.content.decode()
    assert "“city museum” matches many; here are the first 8." in text
    assert len(re.findall(r'<a href="\?organization=City\+Museum', text)) == 8


def test_a_label_whose_country_name_has_parentheses_reads_back(client_for, editor, affiliate):
    # 'Name (Cocos (Keeling) Islands)' is the label the form shows for a partner there: it must
    # read back as that organization, or the partnership could never be saved again
    from hub.directory.fields import OrganizationField

    island = OrganizationFactory(name="Island Library", country="CC")
    other = OrganizationFactory(name="Island Library", country="PL")
    partnership = make_partnership(lead=affiliate, partners=[island], title="Island scans")
    page = client_for(editor).get(reverse("partnerships:edit", args=[partnership.pk]))
    assert 'value="Island Library (Cocos (Keeling) Islands)"' in page.content.decode()
    field = OrganizationField()
    assert field.clean("Island Library (Cocos (Keeling) Islands)") == island
    assert field.clean("Island Library (Poland)") == other
