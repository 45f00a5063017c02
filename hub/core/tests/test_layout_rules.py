"""The rules that keep the layout right in both directions, on phones and in dark mode, checked on
the files themselves (the browser test, test_browser_layout.py, checks the pages as drawn)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
OUR_CSS = sorted((ROOT / "static" / "hub").glob("*.css"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# A property that names a physical side, or a value that does: each has a logical form
# (inset-inline-start, margin-inline-end, border-block-start, text-align: start...).
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:left|right|top|bottom)\s*:"
    r"|(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right|top|bottom)"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|(?:float|clear|text-align|caption-side)\s*:\s*(?:left|right|top|bottom))",
)
# margin: 1px 2px 3px 4px puts different space on the left and the right.
VALUE = r"([^;}\s]+)"
FOUR_SIDES = re.compile(
    rf"(?<![\w-])(?:margin|padding|inset)\s*:\s*{VALUE}\s+{VALUE}\s+{VALUE}\s+{VALUE}"
)


def _declarations(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


@pytest.mark.parametrize("path", OUR_CSS, ids=lambda p: p.name)
def test_our_css_uses_logical_properties_only(path):
    css = _declarations(path.read_text())
    assert PHYSICAL.findall(css) == []
    lopsided = [m.group(0) for m in FOUR_SIDES.finditer(css) if m.group(2) != m.group(4)]
    assert lopsided == []


def test_the_rules_catch_physical_properties():
    css = ".a { left: -999px; margin-right: 4px; text-align:left; float: right; top: 0 }"
    assert len(PHYSICAL.findall(css)) == 5
    assert PHYSICAL.findall(".a { inset-inline-start: 0; margin-block-end: 2px; }") == []
    assert FOUR_SIDES.search("p { margin: 0 1px 0 2px }")


def test_templates_carry_no_style_attributes_or_physical_alignment():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in TEMPLATES
        for match in re.finditer(r"\s(?:style|align)=\"[^\"]*\"", path.read_text())
    ]
    assert found == []


def test_every_table_has_a_caption():
    missing = []
    for path in TEMPLATES:
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), flags=re.DOTALL):
            if not re.match(r"<table\b[^>]*>\s*<caption\b", table):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


LIST_PAGES = ["partnerships:list", "directory:list", "funding:list", "funding:grant_list"]


@pytest.mark.parametrize("name", [*LIST_PAGES, "mapping:index", "mapping:dashboard"])
def test_the_filters_are_a_closed_disclosure_before_the_results(name, client, staff):
    client.force_login(staff)
    html = client.get(reverse(name)).content.decode()
    # Closed in the page: a phone shows the results first; hub.css shows it open on wide screens.
    disclosure = re.search(
        r'<details class="filters-disclosure"><summary>Filters</summary>(.*?)</details>',
        html,
        flags=re.DOTALL,
    )
    assert disclosure, "no filters disclosure"
    assert 'role="search"' in disclosure.group(1)
    # One search landmark in the page's content; the header's site search is the other.
    assert html.split("<main", 1)[1].count('role="search"') == 1
    assert html.count('role="search"') == 2


def test_the_infographic_charts_are_recoloured_in_dark_mode(client, staff):
    client.force_login(staff)
    html = client.get(reverse("funding:infographic")).content.decode()
    assert '<link rel="stylesheet" href="/static/hub/chart-dark-mode.css">' in html
