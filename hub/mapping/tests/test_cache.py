"""The mapping page and the dashboard through the figure cache (hub/core/figcache.py): a write by
anyone shows at once, a rolled-back one moves nothing, and viewers who see different records never
share a copy."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hub.core import figcache
from hub.directory.factories import AffiliateFactory
from hub.directory.services import organization_update
from hub.mapping.tests.test_views import tables
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership, Theme
from hub.partnerships.services import partnership_end

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _goals(client: Client, url: str = "/mapping/") -> dict:
    return tables(client.get(url).content.decode())["goals"]


def test_a_write_by_anyone_shows_on_the_next_mapping_page(
    client, registry, other_affiliate, outsider, django_capture_on_commit_callbacks
):
    before = _goals(client)["rows"]["funding"][0]
    assert _goals(client)["rows"]["funding"][0] == before  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        make_partnership(lead=other_affiliate, goals=["funding"], actor=outsider)
    assert _goals(client)["rows"]["funding"][0] == before + 1


def test_a_write_shows_on_the_next_dashboard_and_its_downloads(
    client, registry, editor, django_capture_on_commit_callbacks
):
    statuses = tables(client.get("/dashboard/").content.decode())["statuses"]["rows"]
    csv_before = client.get("/dashboard/statuses.csv").content.decode()
    partnership = Partnership.objects.editable_by(editor).filter(
        status="active", visibility="public"
    )[0]
    with django_capture_on_commit_callbacks(execute=True):
        partnership_end(
            actor=editor,
            partnership=partnership,
            status=Partnership.Status.COMPLETED,
            reason="",
        )
    after = tables(client.get("/dashboard/").content.decode())["statuses"]["rows"]
    assert after["active"] == [statuses["active"][0] - 1]
    assert after["completed"] == [statuses["completed"][0] + 1]
    assert client.get("/dashboard/statuses.csv").content.decode() != csv_before


def test_a_directory_write_moves_the_figures_too(
    client, registry, staff, django_capture_on_commit_callbacks
):
    """Organizations' names and kinds are in the dashboard: their services record history too."""
    museum = registry["museum"]
    assert "Museum" in client.get("/dashboard/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organization_update(actor=staff, organization=museum, name="Museum of Testland")
    assert "Museum of Testland" in client.get("/dashboard/").content.decode()


def test_an_admin_write_moves_the_figures(
    client_for, registry, staff, django_capture_on_commit_callbacks
):
    """The admin records no history; its log entry moves the generation."""
    theme = Theme.objects.create(name="Old name", slug="old-name")
    Partnership.objects.filter(visibility="public").first().themes.add(theme)
    client = client_for(staff)
    assert "Old name" in client.get("/mapping/").content.decode()  # the filter form's themes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/partnerships/theme/{theme.pk}/change/",
            {"name": "New name", "slug": "old-name"},
        )
    assert response.status_code == 302
    html = client.get("/mapping/").content.decode()
    assert "New name" in html
    assert "Old name" not in html


def test_a_rolled_back_write_does_not_move_the_generation(
    client, registry, django_capture_on_commit_callbacks
):
    before = _goals(client)["rows"]["funding"][0]
    generation = figcache.generation()

    @transaction.atomic
    def refused_write():
        make_partnership(lead=AffiliateFactory(), goals=["funding"])
        raise RuntimeError("refused")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        refused_write()
    assert callbacks == []
    assert figcache.generation() == generation
    assert _goals(client)["rows"]["funding"][0] == before


def test_many_entries_in_one_transaction_move_the_generation_once(
    registry, monkeypatch, django_capture_on_commit_callbacks
):
    bumps = []
    monkeypatch.setattr(figcache, "bump", lambda: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            make_partnership(lead=AffiliateFactory(), goals=["funding"])
    assert bumps == [1]


@pytest.mark.parametrize("first", ["member", "anonymous"])
def test_a_member_and_an_anonymous_visitor_never_share_a_copy(client_for, registry, viewer, first):
    """The private partnership counted for its member is not in the anonymous copy, whichever of
    them asks first."""
    clients = {"member": client_for(viewer), "anonymous": Client()}
    order = [first, *(name for name in clients if name != first)]
    found = {name: _goals(clients[name]) for name in order}
    assert found["member"]["total"] == 5
    assert found["anonymous"]["total"] == 4
    assert found["anonymous"]["rows"]["funding+content+advocacy"] == [0]
    dashboard = {
        name: tables(clients[name].get("/dashboard/").content.decode())["statuses"]
        for name in order
    }
    assert dashboard["member"]["total"] == 5
    assert dashboard["anonymous"]["total"] == 4


def test_a_signed_in_user_without_a_membership_is_not_an_anonymous_visitor(
    client_for, registry, django_capture_on_commit_callbacks
):
    from hub.accounts.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        make_partnership(lead=AffiliateFactory(), goals=["funding"], visibility="movement")
    signed_in = _goals(client_for(UserFactory()))
    anonymous = _goals(Client())
    assert signed_in["total"] == anonymous["total"] + 1


def test_unchanged_page_is_one_query_for_an_anonymous_visitor(client, registry):
    """The generation and every fragment of the page are one cache read (the data fingerprint
    the scheme replaced was a query of its own before it)."""
    client.get("/mapping/?compare=1&b-country=KE")
    with CaptureQueriesContext(connection) as queries:
        client.get("/mapping/?compare=1&b-country=KE")
    assert len(queries) == 1, [q["sql"] for q in queries]
    client.get("/dashboard/statuses.csv")
    with CaptureQueriesContext(connection) as again:
        client.get("/dashboard/statuses.csv")
    assert len(again) == 1, [q["sql"] for q in again]
