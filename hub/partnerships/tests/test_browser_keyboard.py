"""Creating a partnership with the keyboard alone: Tab, typing, Space, Enter and arrow keys, with
three participants, one of them a new organization added from the form itself."""

import pytest

from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.partnerships.models import Partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# What a person hears for the focused control: its label (or a summary's or button's text).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el) return "";
  if (el.labels && el.labels.length) return el.labels[0].innerText.trim();
  return (el.innerText || "").trim();
}"""


def tab_to(page, name: str, *, nth: int = 1, limit: int = 250) -> None:
    """Press Tab until the `nth` control named `name` has the focus."""
    seen = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).rstrip(" *") == name:
            seen += 1
            if seen == nth:
                return
    raise AssertionError(f"Tab never reached {name!r} #{nth}")


def test_create_a_partnership_with_three_participants_by_keyboard(
    browser_page, sign_in, editor, affiliate
):
    page = browser_page
    OrganizationFactory(name="Museum of Glass", short_code=None, country="AT")
    OrganizationFactory(name="University of Graz", kind="university_research", country="AT")

    sign_in(page, "editor")
    page.goto("/partnerships/new/")
    tab_to(page, "Title")
    page.keyboard.type("Glass and sound")
    # The lead is already the editor's only organization.
    assert page.get_by_label("Lead organization").input_value() == "Wikimedia Testland (WMTL)"

    tab_to(page, "Organization", nth=1)
    page.keyboard.type("Museum of Gl")
    options = page.locator("#id_participants-0-organization-options option")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("os => os.map(o => o.value)") == ["Museum of Glass (Austria)"]
    page.keyboard.type("ass")
    tab_to(page, "Organization")
    page.keyboard.type("university of graz")

    tab_to(page, "Add a new organization (a partner not yet in the directory)")
    page.keyboard.press("Enter")
    tab_to(page, "Name of the new organization")
    page.keyboard.type("Wien Museum")
    tab_to(page, "Kind")
    page.keyboard.type("Museum")
    tab_to(page, "Country")
    page.keyboard.type("Austria")
    tab_to(page, "Website")
    page.keyboard.type("https://www.wienmuseum.at/")
    tab_to(page, "Its role")
    page.keyboard.press("ArrowDown")

    tab_to(page, "Content for Wikimedia projects")
    page.keyboard.press("Space")
    tab_to(page, "Structure")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Themes")
    page.keyboard.type("GLAM, sound")
    page.shot("partnership-new-keyboard")
    tab_to(page, "Save")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Glass and sound").wait_for()
    page.shot("partnership-created-keyboard")
    partnership = Partnership.objects.get(title="Glass and sound")
    wien = Organization.objects.get(name="Wien Museum")
    assert (wien.kind, wien.country.code, wien.website) == (
        "museum",
        "AT",
        "https://www.wienmuseum.at/",
    )
    roles = dict(partnership.participants.values_list("organization__name", "role"))
    assert roles.pop("Wikimedia Testland") == "lead"
    assert set(roles) == {"Museum of Glass", "University of Graz", "Wien Museum"}
    assert roles["Wien Museum"] != "partner"  # the arrow key moved its role on
    assert partnership.structure == "complex"
    assert sorted(partnership.themes.values_list("name", flat=True)) == ["GLAM", "sound"]


def test_find_who_works_with_a_museum_by_typing_its_name(browser_page, affiliate):
    page = browser_page
    warsaw = OrganizationFactory(name="Muzeum Narodowe w Warszawie", country="PL")
    krakow = OrganizationFactory(name="Muzeum Narodowe w Krakowie", country="PL")
    from hub.partnerships.factories import make_partnership

    make_partnership(lead=affiliate, partners=[warsaw], title="Warsaw scans")
    make_partnership(lead=affiliate, partners=[krakow], title="Kraków scans")

    page.goto("/partnerships/")
    tab_to(page, "Organization")
    page.keyboard.type("Muzeum")
    options = page.locator("#id_organization-options option")
    options.nth(1).wait_for(state="attached")
    assert sorted(options.evaluate_all("os => os.map(o => o.value)")) == [
        "Muzeum Narodowe w Krakowie (Poland)",
        "Muzeum Narodowe w Warszawie (Poland)",
    ]
    assert page.url.endswith("/partnerships/")  # suggestions do not touch the address
    page.keyboard.press("Enter")
    page.get_by_text("Which one did you mean?").wait_for()
    assert page.locator("#results .result-count").inner_text() == "0 partnerships"
    page.shot("registry-which-one")
    tab_to(page, "Muzeum Narodowe w Krakowie (Poland)")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Kraków scans").wait_for()
    assert "organization=Muzeum+Narodowe+w+Krakowie" in page.url
    box = page.get_by_label("Organization", exact=True)
    assert box.input_value() == "Muzeum Narodowe w Krakowie (Poland)"
