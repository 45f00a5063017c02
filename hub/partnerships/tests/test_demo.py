import pytest
from django.core.management import call_command

from hub.accounts.models import User
from hub.core.models import HistoryEntry
from hub.partnerships.demo import PARTNERSHIPS
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
    assert User.objects.get(username="demo-manager").memberships.get().role == "manager"
    assert User.objects.get(username="demo-manager").check_password("partnerships-2016")
