"""The mapping page in a real browser: filter it, read the figures, keep screenshots of both charts."""

import os

import pytest

from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "test-artifacts", "screenshots"
)


def table_numbers(page, figure: str) -> dict[str, int]:
    rows = page.locator(f"#a-figure-{figure} table tbody tr[data-key]")
    return {
        rows.nth(i).get_attribute("data-key"): int(
            rows.nth(i).locator("td[data-value]").first.get_attribute("data-value")
        )
        for i in range(rows.count())
    }


def check_chart_matches_table(page, figure: str) -> None:
    """The visible SVG's accessible description names each row's label with the table's number."""
    chart = page.locator(f"#a-figure-{figure} .chart svg")
    title_id, desc_id = chart.get_attribute("aria-labelledby").split()
    assert chart.locator(f"title#{title_id}").count() == 1
    label = chart.locator(f"desc#{desc_id}").text_content()
    rows = page.locator(f"#a-figure-{figure} table tbody tr[data-key]")
    for i in range(rows.count()):
        name = rows.nth(i).locator("th").inner_text().strip()
        value = rows.nth(i).locator("td[data-value]").first.get_attribute("data-value")
        assert f"{name}: {value} (" in label


def test_filter_the_mapping_page_and_keep_screenshots(browser_page, affiliate):
    page = browser_page
    museum = OrganizationFactory(name="Museum of Glass", country="AT")
    library = OrganizationFactory(name="National Library", kind="library", country="KE")
    for i in range(3):
        make_partnership(lead=affiliate, partners=[museum], goals=["content"], title=f"Glass {i}")
    make_partnership(
        lead=affiliate,
        partners=[library],
        goals=["content", "advocacy"],
        structure="complex",
        title="Books for Wikisource",
    )
    make_partnership(lead=affiliate, partners=[library], goals=["funding"], title="Library grant")

    page.goto("/mapping/")
    before = table_numbers(page, "goals")
    assert before["content"] == 3
    assert page.locator("#a-figure-goals td[data-total]").get_attribute("data-total") == "5"
    check_chart_matches_table(page, "goals")
    check_chart_matches_table(page, "structure")
    assert page.get_by_text("80% serve content", exact=False).is_visible()

    page.get_by_label("Country", exact=True).select_option("KE")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/mapping/?*country=KE*")
    after = table_numbers(page, "goals")
    assert after != before
    assert after["content"] == 0
    assert after["content+advocacy"] == 1
    assert after["funding"] == 1
    assert page.locator("#a-figure-goals td[data-total]").get_attribute("data-total") == "2"
    check_chart_matches_table(page, "goals")
    check_chart_matches_table(page, "structure")
    # the linked mark of a partnership on the structure map opens it
    links = page.locator("#a-figure-structure .chart a")
    hrefs = {links.nth(i).get_attribute("xlink:href") for i in range(links.count())}
    assert len(hrefs) == 2
    assert all(href.startswith("/partnerships/") for href in hrefs)

    os.makedirs(SCREENSHOTS, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        chart = page.locator("#a-figure-goals .chart svg")
        assert chart.is_visible()
        # the title is drawn in the mode's text colour (Codex --color-base)
        title = chart.locator("text").first
        colour = title.evaluate("node => getComputedStyle(node).fill")
        assert colour == {"light": "rgb(32, 33, 34)", "dark": "rgb(234, 236, 240)"}[scheme]
        for figure in ("goals", "structure"):
            page.locator(f"#a-figure-{figure}").screenshot(
                path=os.path.join(SCREENSHOTS, f"mapping-{figure}-{scheme}.png")
            )
    page.emulate_media(color_scheme="light")
    page.shot("mapping-page")

    page.get_by_role("link", name="Movement dashboard").first.click()
    page.wait_for_url("**/dashboard/?*country=KE*")
    page.locator("#a-figure-statuses").wait_for()
    page.shot("dashboard-page")
