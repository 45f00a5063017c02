"""The registry's "needs attention" filter and column: the right rows, a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.lifecycle.factories_agreements import (
    make_agreement,
    partnership_with_partner,
    place_past_agreement_step,
    sign_fully,
)
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db
LIST = reverse("partnerships:list")


def _titles(response):
    return [p.title for p in response.context["page"].object_list]


def test_the_filter_lists_only_what_needs_attention(client_for, viewer, affiliate):
    late = partnership_with_partner(affiliate, title="Late")[0]
    place_past_agreement_step(late)
    done = make_partnership(lead=affiliate, title="Done")
    place_past_agreement_step(done)
    sign_fully(done)
    make_partnership(lead=affiliate, title="Early", status="prospect")
    client = client_for(viewer)
    assert sorted(_titles(client.get(LIST))) == ["Done", "Early", "Late"]
    response = client.get(LIST, {"needs_attention": "on"})
    assert _titles(response) == ["Late"]
    page = response.content.decode()
    assert 'name="needs_attention"' in page
    assert "No signed agreement" in page


def test_outsiders_and_visitors_get_no_column_and_no_rows(client_for, outsider, affiliate):
    late = partnership_with_partner(affiliate, title="Late")[0]
    place_past_agreement_step(late)
    for user in (outsider, None):
        response = client_for(user).get(LIST, {"needs_attention": "on"})
        assert _titles(response) == []
        assert "No signed agreement past" not in response.content.decode()


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_filtered_list_query_count_does_not_grow(client_for, viewer, settings, affiliate):
    client = client_for(viewer)

    def add(n, prefix):
        for i in range(n):
            partnership = make_partnership(
                lead=affiliate,
                title=f"{prefix}{i}",
                partners=[OrganizationFactory(), AffiliateFactory()],
            )
            place_past_agreement_step(partnership)
            make_agreement(partnership, status="signed")

    add(3, "A")
    settings.PAGE_SIZE = 3
    few = _queries(client, {"needs_attention": "on"})
    unfiltered = _queries(client, {})
    add(30, "B")
    settings.PAGE_SIZE = 30
    many = _queries(client, {"needs_attention": "on"})
    assert few == many == unfiltered
    assert many <= 8
