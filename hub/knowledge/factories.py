"""Lessons, clinic questions and resources for tests, made through the same services the pages
use."""

import datetime

from django.utils import timezone

from hub.accounts.system import system_actor
from hub.directory.factories import AffiliateFactory
from hub.knowledge import services
from hub.knowledge.models import Answer, Lesson, Question
from hub.knowledge.resources import services as resource_services
from hub.knowledge.resources.models import Resource


def make_lesson(*, organization=None, actor=None, **fields) -> Lesson:
    organization = organization or AffiliateFactory()
    fields.setdefault("title", f"A lesson of {organization.name}")
    fields.setdefault("problem", "Partners lose interest after the first meeting.")
    fields.setdefault("kind", Lesson.Kind.GOOD)
    return services.lesson_create(
        actor=actor or system_actor(), organization=organization, **fields
    )


def make_question(*, organization=None, actor=None, **fields) -> Question:
    organization = organization or AffiliateFactory()
    fields.setdefault("title", f"A question of {organization.name}")
    fields.setdefault("body", "How do we keep a museum interested after the first upload?")
    return services.question_create(
        actor=actor or system_actor(), organization=organization, **fields
    )


def make_answer(*, question, actor, body="Agree on a first small success together.") -> Answer:
    return services.answer_create(actor=actor, question=question, body=body)


def make_resource(*, organization=None, actor=None, **fields) -> Resource:
    organization = organization or AffiliateFactory()
    fields.setdefault("title", f"A guide of {organization.name}")
    fields.setdefault("kind", Resource.Kind.GUIDE)
    fields.setdefault("review_by", timezone.localdate() + datetime.timedelta(days=365))
    if "file" not in fields:
        fields.setdefault("url", "https://example.org/guide")
    return resource_services.resource_create(
        actor=actor or system_actor(), organization=organization, **fields
    )
