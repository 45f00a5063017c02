import pytest
from django.core.management import call_command

from hub.knowledge.models import Lesson
from hub.knowledge.resources.models import Resource

pytestmark = pytest.mark.django_db


def test_the_workshops_lessons_load_once_marked_as_demo_and_linked():
    call_command("load_demo_partnerships", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_knowledge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_knowledge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    lessons = Lesson.objects.order_by("title")
    assert lessons.count() == 5
    assert all(lesson.is_demo and "Demo data" in lesson.see_also for lesson in lessons)
    contract = lessons.get(title="Always have a contract in place when working with partners")
    assert contract.kind == "bad"
    assert contract.organization.short_code == "WMSE"
    assert [p.title for p in contract.partnerships.all()] == [
        "Cooperation with Swedish universities"
    ]
    engine = lessons.get(title="Six lessons from the Knowledge Engine")
    assert engine.kind == ""  # the notes do not call it good, bad or ugly
    assert engine.organization.kind == "wmf"
    assert "Restricted grants are a resource we should not avoid" in engine.solution


def test_the_reference_tools_load_once_as_demo_resources_on_their_steps():
    call_command("load_demo_partnerships", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_knowledge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_knowledge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    resources = Resource.objects.order_by("title")
    assert resources.count() == 3
    assert all(r.is_demo and r.licence == "not-stated" for r in resources)
    scorecard = resources.get(title__startswith="Partnering Agreement Scorecard")
    assert scorecard.url == "https://repub.eur.nl/pub/77616"
    assert sorted(t.value for t in scorecard.tags.all()) == ["formal_agreement", "scoping_building"]
