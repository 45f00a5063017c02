import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hub.accounts.models import User
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.models import InKindContribution
from hub.partnerships.demo import DEMO_PASSWORD, PARTNERSHIPS
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_loads_the_workshop():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    partnerships, entries = Partnership.objects.count(), HistoryEntry.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Partnership.objects.count() == partnerships == len(PARTNERSHIPS)
    assert HistoryEntry.objects.count() == entries
    unesco = Partnership.objects.get(title="Bring Wikipedia to the town")
    assert unesco.lead.short_code == "WMAR"
    assert sorted(unesco.goals) == ["advocacy", "content"]
    assert unesco.participants.filter(organization__name="UNESCO").exists()
    estonia = Partnership.objects.get(lead__short_code="WMEE")
    assert (estonia.status, estonia.structure) == ("ended_early", "complex")
    assert set(
        User.objects.get(username="demo-manager").memberships.values_list("role", flat=True)
    ) == {"manager"}
    assert User.objects.get(username="demo-manager").check_password("partnerships-2016")


def _links(html: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"login": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, username
    return client


@pytest.mark.parametrize("username", ["demo-manager", "demo-editor", "demo-admin"])
def test_demo_editors_find_an_edit_button_on_first_sign_in(demo, username):
    client = _signed_in(username)
    home = client.get("/").content.decode()
    edits = []
    for detail in dict.fromkeys(_links(home, r"/partnerships/\d+/")):
        edits += _links(client.get(detail).content.decode(), r"/partnerships/\d+/edit/")
    assert edits, f"{username} finds no Edit button from the home page"
    assert client.get(edits[0]).status_code == 200
    if username != "demo-admin":  # staff belongs to no organization: nothing is "theirs"
        assert edits[0] in home.split('id="mine-heading"')[1]


def test_demo_manager_leads_a_partnership_true_to_the_notes(demo):
    manager = User.objects.get(username="demo-manager")
    editable = Partnership.objects.editable_by(manager)
    # WMDE's informal cooperation with Serlo, from the workshop's case study.
    assert list(editable.values_list("lead__short_code", "title")) == [
        ("WMDE", "Informal cooperation on open educational resources")
    ]
    client = _signed_in("demo-manager")
    for code in ("WMAT", "WMDE"):
        organization = Organization.objects.get(short_code=code)
        assert client.get(reverse("members:list", args=[organization.pk])).status_code == 200
    # and keeps WMAT's in-kind records
    contribution = InKindContribution.objects.filter(receiving_organization__short_code="WMAT")[0]
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert reverse("funding:contribution_edit", args=[contribution.pk]) in page


def test_demo_viewer_sees_their_affiliates_partnership_and_no_edit_button(demo):
    client = _signed_in("demo-viewer")
    home = client.get("/").content.decode()
    mine = home.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Estonian network for cultural heritage" in mine
    assert not _links(home, r"/partnerships/\d+/edit/")
