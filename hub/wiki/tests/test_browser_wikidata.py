"""Finding an organization's Wikidata item while typing, in a real browser against the local
stand-in for Wikidata: type a name, choose the item, save, take its facts, see the QID and website."""

import pytest

from hub.directory.models import Organization
from hub.wiki.tests.wikidata_server import wikidata  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_type_a_name_pick_the_item_save_and_see_the_qid_and_website(
    browser_page,
    sign_in,
    editor,
    wikidata,  # noqa: F811
):
    page = browser_page
    sign_in(page, "editor")
    page.goto("/organizations/new/")
    page.get_by_role("textbox", name="Name", exact=True).fill("University of Duhok")
    page.get_by_role("combobox", name="Kind").select_option(label="University or research")
    page.get_by_role("searchbox", name="Find the organization on Wikidata").press_sequentially(
        "University of Duhok"
    )
    choose = page.get_by_role("button", name="Choose University of Duhok (Q3666468)")
    choose.wait_for()
    page.get_by_text("university in Iraq").wait_for()
    page.shot("wikidata-search")
    choose.click()
    page.get_by_text("Chosen: University of Duhok (Q3666468). Save to keep it.").wait_for()
    assert page.get_by_role("textbox", name="Wikidata item").input_value() == "Q3666468"
    page.get_by_role("button", name="Save").click()

    page.get_by_role("heading", name="Wikidata for University of Duhok").wait_for()
    assert page.get_by_label("Take the website").is_checked()
    page.shot("wikidata-apply")
    page.get_by_role("button", name="Link the organization to this item").click()
    page.get_by_text("The organization is linked to Q3666468.").wait_for()
    facts = page.locator("main dl").first.inner_text()
    assert "Q3666468" in facts
    assert "uod.ac" in facts
    page.shot("wikidata-linked")
    organization = Organization.objects.get(name="University of Duhok")
    assert (organization.wikidata_id, organization.website) == ("Q3666468", "http://uod.ac")
    assert any(p.get("search") == "University of Duhok" for p, _h in wikidata.requests)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_wikidata_pages_are_accessible_on_a_phone_and_right_to_left(
    browser,
    live_server,
    manager,
    language,
    wikidata,  # noqa: F811
):
    from hub.core.tests.test_browser_layout import AXE, check, session_cookies
    from hub.directory.factories import OrganizationFactory
    from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun

    duhok = OrganizationFactory(
        name="University of Duhok", country="IQ", website="https://typed.example"
    )
    OrganizationFactory(name="Universität Duhok", wikidata_id="Q3666468")
    OrganizationFactory(name="Duhok University", wikidata_id="Q3666468")
    run = ReconciliationRun.objects.create(started_by=manager, status="done", total=3, done=3)
    candidates = [
        {
            "qid": "Q3666468",
            "label": "University of Duhok",
            "description": "university in Iraq",
            "score": 100,
        },
        {
            "qid": "Q101012635",
            "label": "University of Duhok School of Medicine",
            "description": "academic department",
            "score": 71,
        },
    ]
    ReconciliationItem.objects.create(run=run, organization=duhok, candidates=candidates)
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(path=str(AXE))
    context.add_cookies(session_cookies(manager, live_server.url, language))
    page = context.new_page()
    problems = []
    for path in (
        "/wiki/wikidata/review/",
        f"/wiki/wikidata/organizations/{duhok.pk}/?qid=Q3666468",
        "/wiki/wikidata/reconcile/",
        f"/wiki/wikidata/reconcile/{run.pk}/",
        "/wiki/wikidata/duplicates/",
        "/wiki/wikidata/search/?q=University+of+Duhok",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        problems += check(page, path)
    context.close()
    assert problems == []
