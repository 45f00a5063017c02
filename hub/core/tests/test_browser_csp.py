"""The Content-Security-Policy in a real browser: the main pages run without one violation (htmx,
the charts and the hub's script keep working), and a script injected into a page is refused."""

import datetime
from decimal import Decimal

import pytest

from hub.directory.factories import OrganizationFactory
from hub.funding.factories import make_contribution
from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# Runs before any script of the page (Playwright injects it; the page's policy does not apply).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser_page):
    """The page, with every CSP violation it reports: events and console messages alike."""
    page = browser_page
    page.context.add_init_script(LISTEN)
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if message.type in ("error", "warning")
            else None
        ),
    )

    def violations() -> list[str]:
        reported = page.evaluate("window.__violations || []")
        return reported + [t for t in page.console_errors if "Content Security Policy" in t]

    page.violations = violations
    return page


def enforced(response) -> bool:
    """The page came with the hub's policy, so "no violation" means something."""
    policy = response.headers.get("content-security-policy", "")
    return "default-src 'self'" in policy and "'unsafe-inline'" not in policy


@pytest.fixture
def registry(affiliate, editor):
    museum = OrganizationFactory(
        name="Museum of Glass", country="AT", website="https://glass.example"
    )
    library = OrganizationFactory(name="National Library", kind="library", country="KE")
    for i in range(3):
        make_partnership(lead=affiliate, partners=[museum], title=f"Glass {i}")
    make_partnership(
        lead=affiliate,
        partners=[library],
        goals=["content", "advocacy"],
        structure="complex",
        title="Books for Wikisource",
    )
    for day, category in ((3, "venue_space"), (4, "catering")):
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=museum,
            date=datetime.date(2024, 1, day),
            category=category,
            value=Decimal("100.00"),
            currency="EUR",
        )
    return {"museum": museum}


def test_the_main_pages_run_under_the_policy_and_htmx_still_works(
    watched, sign_in, registry, affiliate
):
    page = watched
    sign_in(page, "editor")
    for path in (
        "/partnerships/",
        f"/organizations/{registry['museum'].pk}/",
        "/mapping/",
        "/dashboard/",
        f"/in-kind/infographic/?organization={affiliate.pk}&year=2024&currency=EUR",
        "/api/tokens/",
    ):
        assert enforced(page.goto(path)), path
        assert page.violations() == [], path
    page.goto("/mapping/")
    assert page.locator("figure.chart-figure .chart svg").count() >= 2
    # Styles from hub.css (not an inline <style>) lay the charts out.
    assert page.locator(".mapping-panels").evaluate("e => getComputedStyle(e).display") == "grid"

    # htmx filters the in-kind list in place: no new page load, results swapped, URL pushed.
    page.goto("/in-kind/")
    page.evaluate("window.__same_page = true")
    assert "2 contributions" in page.locator("#results .result-count").inner_text()
    page.locator("input[name=category][value=catering]").check()
    page.wait_for_url("**/in-kind/?*category=catering*")
    page.locator("#results .result-count", has_text="1 contribution").wait_for()
    assert page.evaluate("window.__same_page") is True

    # The participant formset's "add another" runs through hub.js (htmx eval is off).
    page.goto("/partnerships/new/")
    rows = page.locator("#participant-rows .participant-row")
    before = rows.count()
    total = page.locator("#id_participants-TOTAL_FORMS")
    assert int(total.input_value()) == before
    page.get_by_role("button", name="Add another participant").click()
    rows.nth(before).wait_for()
    page.get_by_role("button", name="Add another participant").click()
    rows.nth(before + 1).wait_for()
    assert int(total.input_value()) == before + 2
    names = [rows.nth(i).locator("input").first.get_attribute("name") for i in range(before + 2)]
    assert len(set(names)) == before + 2, names
    page.shot("csp-partnership-form")
    assert page.violations() == []


def test_the_api_docs_and_the_admin_run_under_the_same_policy(watched, sign_in, staff, registry):
    page = watched
    assert enforced(page.goto("/api/v1/docs"))
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".responses-wrapper .live-responses-table .response-col_status").first.wait_for()
    page.shot("csp-api-docs")
    assert page.violations() == []
    sign_in(page, "staff")
    for path in (
        "/admin/",
        "/admin/directory/organization/",
        f"/admin/directory/organization/{registry['museum'].pk}/change/",
    ):
        assert enforced(page.goto(path)), path
        assert page.violations() == [], path


def test_a_script_injected_into_a_page_is_refused(watched, registry):
    page = watched
    assert enforced(page.goto(f"/organizations/{registry['museum'].pk}/"))
    assert page.violations() == []
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = 'inline script'";
        document.body.append(script);
        const holder = document.createElement("div");
        holder.innerHTML = '<img src="/static/hub/hub.css" onerror="window.__ran = \\'handler\\'">'
          + '<a id="js-link" href="javascript:window.__ran = \\'link\\'">x</a>';
        document.body.append(holder);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
    }"""
    )
    page.locator("#js-link").click()
    page.wait_for_function("window.__violations.length >= 3")
    assert page.evaluate("window.__ran") is None
    assert page.locator("body").is_visible()
    directives = {v.split(" ")[0] for v in page.violations()}
    assert {"script-src-elem", "script-src-attr", "style-src-elem"} <= directives
