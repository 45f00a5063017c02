import datetime

import pytest
from django.core.management import call_command

from hub.meetings.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db


def _run(name):
    call_command(name, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_2016_workshop_loads_once_with_its_real_next_steps():
    _run("load_demo_partnerships")
    _run("load_demo_meetings")
    _run("load_demo_meetings")
    meeting = Meeting.objects.get()
    assert meeting.is_demo
    assert meeting.title == "Partnerships Workshop, November 2016"
    assert "not confirmed" in meeting.notes
    assert [o.short_code for o in meeting.organizations.all()] == ["WMDE"]
    steps = {item.what.split(" (")[0]: item for item in ActionItem.objects.all()}
    vision = next(i for w, i in steps.items() if w.startswith("Write the first draft"))
    assert (vision.owner_organization.short_code, vision.due_on) == (
        "WMEE",
        datetime.date(2017, 1, 15),
    )
    assert vision.decision.statement.startswith("Create a “vision document”")
    dimensions = next(i for w, i in steps.items() if "theoretical background" in w)
    assert dimensions.due_on == datetime.date(2017, 1, 31)
    blog = ActionItem.objects.get(what="Write a blog post about the workshop (Giselle)")
    assert (blog.owner_organization.short_code, blog.due_on) == ("WMAR", None)
    photos = ActionItem.objects.get(what__startswith="Upload the workshop's photos")
    assert photos.owner_organization.short_code == "WMPL"
    assert ActionItem.objects.count() == 7
    assert not ActionItem.objects.filter(remind_days_before__gt=0).exists()
    assert meeting.participants.filter(name="Kaarel", organization__short_code="WMEE").exists()
