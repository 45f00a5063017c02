"""The partnerships panel that partnerships draws on the directory's organization page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", [None, "viewer"])
def test_organization_page_query_count_does_not_grow_with_page_size(
    client_for, request, settings, affiliate, persona
):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    museum = OrganizationFactory(name="Museum")
    url = reverse("directory:organization", args=[museum.pk])
    for n in range(3):
        make_partnership(lead=affiliate, title=f"A{n}", partners=[museum, AffiliateFactory()])
    settings.PAGE_SIZE = 3
    few = _queries(client, url)
    for n in range(30):
        make_partnership(lead=affiliate, title=f"B{n}", partners=[museum, AffiliateFactory()])
    settings.PAGE_SIZE = 30
    page = client.get(url)
    assert len(page.context["page"].object_list) == 30
    assert len(page.context["working_with"]) == 20  # the panel lists the first twenty
    assert _queries(client, url) == few


def test_the_panel_keeps_the_pages_other_parameters_in_its_pagination(client, settings, affiliate):
    settings.PAGE_SIZE = 2
    museum = OrganizationFactory(name="Museum")
    for n in range(3):
        make_partnership(lead=affiliate, title=f"P{n}", partners=[museum])
    url = reverse("directory:organization", args=[museum.pk])
    page = client.get(url, {"page": 2, "from": "home"}).content.decode()
    assert 'href="?page=1&amp;from=home" rel="prev"' in page
