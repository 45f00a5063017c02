"""The demo alliance: two members' views, one of them twice, loaded once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from hub.alliances.assessments.models import Assessment
from hub.directory.models import Organization

pytestmark = pytest.mark.django_db


def _run(name):
    call_command(name, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_alliance_is_assessed_by_two_members_and_loads_once(client):
    _run("load_demo_partnerships")
    _run("load_demo_meetings")
    _run("load_demo_alliances")
    _run("load_demo_alliances")
    alliance = Organization.objects.get(name="Partnerships peer group (demo)")
    assert alliance.is_alliance
    assessments = Assessment.objects.filter(alliance=alliance)
    assert assessments.count() == 3
    assert all(a.is_demo for a in assessments)
    assert {a.assessor.username for a in assessments} == {"demo-editor", "demo-manager"}
    assert assessments.filter(scores__evidence__kind="meeting").exists()
    client.login(username="demo-viewer", password="partnerships-2016")
    html = client.get(reverse("alliances:assessments", args=[alliance.pk])).content.decode()
    agenda = html[html.index('data-item="common_agenda"') :]
    agenda = agenda[: agenda.index("</tr>")]
    assert "Close" in agenda
    roles = client.get(reverse("alliances:roles", args=[alliance.pk])).content.decode()
    unplayed = roles[roles.index('id="unplayed"') :]
    assert "Backbone" in unplayed[: unplayed.index("</ul>")]
