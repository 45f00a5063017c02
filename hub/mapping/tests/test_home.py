"""The home page: what anyone sees, what a member sees with its next steps, and its query count."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.directory import services as directory_services
from hub.directory.factories import OrganizationFactory
from hub.funding import services as funding_services
from hub.funding.factories import make_grant
from hub.imports.models import ImportJob
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _number(html: str, name: str) -> int:
    match = re.search(rf'data-number="{name}">(?:<a [^>]*>)?(\d+)', html)
    assert match, name
    return int(match.group(1))


def test_root_is_the_home_page_not_a_redirect(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("home") == "/"


def test_anonymous_sees_what_the_hub_is_a_search_box_numbers_and_public_partnerships(
    client, affiliate, other_affiliate
):
    museum = OrganizationFactory(name="Popular Museum", country="PL")
    make_partnership(lead=affiliate, partners=[museum], title="Open gallery", visibility="public")
    make_partnership(
        lead=other_affiliate,
        partners=[OrganizationFactory(country="FR")],
        title="Secret plans",
        visibility="private",
    )
    make_partnership(lead=other_affiliate, title="Movement only", visibility="movement")

    html = client.get("/").content.decode()

    assert "The shared home for partnership work in the Wikimedia movement" in html
    search = re.search(r'<form class="home-search" method="get" action="([^"]+)"', html)
    assert search
    assert search.group(1) == reverse("directory:list")
    assert 'name="q"' in html
    assert "Who already works with…" in html
    # Only the public partnership and its two organizations (one affiliate, PL and AT) count.
    assert _number(html, "partnerships") == 1
    assert _number(html, "organizations") == 2
    assert _number(html, "affiliates") == 1
    assert _number(html, "countries") == 2
    assert "Open gallery" in html
    assert "Secret plans" not in html
    assert "Movement only" not in html
    assert "Needs your attention" not in html


def test_search_box_leads_to_who_works_with_the_museum(client, affiliate):
    museum = OrganizationFactory(name="Muzeum Narodowe")
    make_partnership(lead=affiliate, partners=[museum], title="Residency")
    found = client.get(reverse("directory:list"), {"q": "Muzeum"}).content.decode()
    assert museum.get_absolute_url() in found


def test_member_sees_their_partnerships_with_edit_links_and_deadlines(
    client_for, editor, affiliate, other_affiliate
):
    mine = make_partnership(lead=affiliate, title="Our residency", visibility="private")
    make_partnership(lead=other_affiliate, title="Their residency", visibility="movement")
    grant = make_grant(recipient=affiliate, title="Annual grant")
    actor = editor
    for due, what in [
        (TODAY - 3 * DAY, "Late report"),
        (TODAY + 10 * DAY, "Interim report"),
        (TODAY + 90 * DAY, "Final report"),
    ]:
        funding_services.deadline_create(actor=actor, grant=grant, due_date=due, description=what)
    theirs = make_grant(recipient=other_affiliate, title="Other grant")
    funding_services.deadline_create(
        actor=UserFactory(is_staff=True), grant=theirs, due_date=TODAY, description="Not ours"
    )

    html = client_for(editor).get("/").content.decode()

    section = html.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Our residency" in section
    assert "Their residency" not in section
    assert reverse("partnerships:edit", args=[mine.pk]) in section
    deadlines = html.split('id="deadlines-heading"')[1].split("</section>")[0]
    assert "Late report" in deadlines
    assert "Overdue" in deadlines
    assert "Interim report" in deadlines
    assert "Final report" not in deadlines
    assert "Not ours" not in deadlines
    assert reverse("partnerships:create") in html


def test_viewer_sees_no_edit_link_and_no_new_partnership_button(client_for, viewer, affiliate):
    mine = make_partnership(lead=affiliate, title="Our residency")
    html = client_for(viewer).get("/").content.decode()
    assert "Our residency" in html.split('id="mine-heading"')[1]
    assert reverse("partnerships:edit", args=[mine.pk]) not in html
    assert reverse("partnerships:create") not in html


def test_needs_attention_lists_each_item_with_its_next_step(client_for, manager, affiliate):
    late = make_partnership(
        lead=affiliate,
        title="Ran out of time",
        start_date=TODAY - 400 * DAY,
        end_date=TODAY - 5 * DAY,
    )
    make_partnership(
        lead=affiliate, title="Still going", start_date=TODAY - 9 * DAY, end_date=TODAY + 9 * DAY
    )
    job = ImportJob.objects.create(
        organization=affiliate,
        created_by=manager,
        original_name="in-kind 2024.xlsx",
        status=ImportJob.Status.PREVIEWED,
    )
    ImportJob.objects.create(
        organization=affiliate, original_name="old.csv", status=ImportJob.Status.DONE
    )
    directory_services.invitation_create(
        actor=manager, organization=affiliate, email="new@example.org", role="viewer"
    )

    html = client_for(manager).get("/").content.decode()

    section = html.split('id="attention-heading"')[1].split("</section>")[0]
    assert "“Ran out of time” passed its end date" in section
    assert reverse("partnerships:end", args=[late.pk]) in section
    assert "“Still going” passed its end date" not in section
    assert "in-kind 2024.xlsx" in section
    assert job.get_absolute_url() in section
    assert "old.csv" not in section
    assert "1 invitation is not accepted yet" in section
    assert reverse("members:list", args=[affiliate.pk]) in section


def test_outsider_is_not_told_of_another_affiliates_work(client_for, outsider, manager, affiliate):
    make_partnership(
        lead=affiliate,
        title="Hidden late one",
        visibility="private",
        start_date=TODAY - 40 * DAY,
        end_date=TODAY - DAY,
    )
    ImportJob.objects.create(
        organization=affiliate, original_name="theirs.csv", status=ImportJob.Status.PREVIEWED
    )
    directory_services.invitation_create(
        actor=manager, organization=affiliate, email="x@example.org", role="viewer"
    )
    html = client_for(outsider).get("/").content.decode()
    assert "Hidden late one" not in html
    assert "theirs.csv" not in html
    assert "invitation" not in html.split('id="attention-heading"')[1].split("</section>")[0]
    assert "Nothing needs your attention." in html


def _world(affiliate, manager, n):
    for i in range(n):
        partner = OrganizationFactory(country=["AT", "DE", "PL"][i % 3])
        make_partnership(
            lead=affiliate,
            partners=[partner],
            title=f"Partnership {i}",
            start_date=TODAY - 100 * DAY,
            end_date=TODAY - DAY if i % 2 else None,
        )
        grant = make_grant(recipient=affiliate, title=f"Grant {i}")
        funding_services.deadline_create(
            actor=manager, grant=grant, due_date=TODAY + DAY, description=f"Report {i}"
        )
        ImportJob.objects.create(
            organization=affiliate, original_name=f"{i}.csv", status=ImportJob.Status.PREVIEWED
        )


@pytest.mark.parametrize("n", [3, 30])
def test_home_query_count_does_not_grow_with_the_data(
    n, client_for, manager, affiliate, django_assert_num_queries
):
    _world(affiliate, manager, n)
    other = OrganizationFactory(kind="chapter", short_code="WMXX")
    MembershipFactory(user=manager, organization=other, role="manager")
    client = client_for(manager)
    # session, user; numbers (2); recent; roles; mine; deadlines; late, imports, invitations;
    # next actions and agreements needing attention (hub.lifecycle's tags)
    with django_assert_num_queries(13):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(3):
        assert client_for(None).get("/").status_code == 200
