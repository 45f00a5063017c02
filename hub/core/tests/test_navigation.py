"""The site's navigation marks where the visitor is (`aria-current`)."""

import re

import pytest
from django.urls import reverse

from hub.core.templatetags.hub import nav_current

pytestmark = pytest.mark.django_db


def _current(html: str) -> dict[str, str]:
    """{href: aria-current} of the header's links that carry it."""
    header = html.split("</header>")[0]
    return dict(re.findall(r'<a href="([^"]+)"(?: class="[^"]*")? aria-current="([^"]+)"', header))


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("home", {"/": "page"}),
        ("partnerships:list", {"/partnerships/": "page"}),
        ("directory:list", {"/organizations/": "page"}),
        ("mapping:index", {"/mapping/": "page"}),
        ("mapping:dashboard", {"/dashboard/": "page"}),
        ("funding:list", {"/in-kind/": "page"}),
        ("funding:infographic", {"/in-kind/": "true"}),
        ("apisite:open_data", {reverse("apisite:open_data"): "page"}),
    ],
)
def test_the_current_navigation_item_is_marked(client, url_name, expected):
    html = client.get(reverse(url_name)).content.decode()
    assert _current(html) == expected


def test_a_page_of_a_section_marks_its_section(client, affiliate):
    html = client.get(affiliate.get_absolute_url()).content.decode()
    assert _current(html) == {"/organizations/": "true"}


def test_pages_outside_the_navigation_mark_nothing(client):
    assert _current(client.get(reverse("accounts:login")).content.decode()) == {}


def test_nav_current_matches_whole_paths_only():
    assert nav_current("/in-kind/", "/in-kind/") == "page"
    assert nav_current("/in-kind/grants/", "/in-kind/") == "true"
    assert nav_current("/partnerships/", "/") == ""
    assert nav_current("/mapping/", "/dashboard/") == ""
