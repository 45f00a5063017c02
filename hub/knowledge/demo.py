"""The lessons of the November 2016 Partnerships Workshop, as demo data (../shared/seed/).

Written from the workshop notes only: each lesson says what the notes say, and nothing the notes
do not give (a story the notes do not call good, bad or ugly stays "not said"). Every lesson is
marked as demo data and names its source. Runs after the partnerships' demo data, whose
organizations and partnerships it links.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hub.accounts.system import system_actor
from hub.directory.models import Organization
from hub.knowledge import services
from hub.knowledge.models import Lesson
from hub.partnerships.models import Partnership

SOURCE = (
    "Source: the documentation of the Partnerships Workshop, November 2016 (Meta-Wiki), "
    "lightning talks and the Serlo case study. Demo data."
)

LESSONS: list[dict[str, Any]] = [
    {
        "organization": "WMSE",
        "title": "Always have a contract in place when working with partners",
        "kind": Lesson.Kind.BAD,
        "category": "agreements",
        "problem": "In Wikimedia Sverige's cooperations with universities in Sweden, a partnership "
        "with a professor turned into a bad experience (told at the workshop as a story of "
        "“good, bad and ugly”).",
        "solution": "Always have a contract in place when working with partners.",
        "partnerships": ["Cooperation with Swedish universities"],
        "steps": ["formal_agreement"],
        "partner_types": ["university_research"],
        "goals": ["content"],
    },
    {
        "organization": "WMEE",
        "title": "Motivate partners to take ownership of the partnership",
        "kind": Lesson.Kind.BAD,
        "category": "partnerships",
        "problem": "Wikimedia Eesti tried to create an Estonian network for cultural heritage by "
        "inviting 14 organizations to a roundtable. In the end it fell apart and was scaled "
        "down, because everyone was talking about outputs only.",
        "solution": "Motivate partners to take ownership for the partnership.",
        "partnerships": ["Estonian network for cultural heritage"],
        "goals": ["content", "advocacy"],
    },
    {
        "organization": "wmf",
        "title": "Six lessons from the Knowledge Engine",
        "category": "partnerships",
        "problem": "Lessons learnt from a bigger partnership, with the “Knowledge Engine” as the "
        "example (summarized at the workshop by Seddon, Wikimedia Foundation, from a "
        "presentation held at the Foundation).",
        "solution": "1. Be transparent and clear.\n"
        "2. Use external input.\n"
        "3. Ideas without direction: there is no substitute for high-level strategy.\n"
        "4. Restricted grants are not something we can ignore.\n"
        "5. Community input.\n"
        "6. Restricted grants are a resource we should not avoid.",
        "goals": ["funding"],
    },
    {
        "organization": "WMDE",
        "title": "Create a win-win situation and a first success fast",
        "category": "partnerships",
        "problem": "A partnership that is not a win-win for both partners will not last long.",
        "solution": "If you aren't able to create a win-win situation, no partnership will last "
        "long. Find tangible projects, as specific as possible, to create the first success "
        "as soon as possible. A 25-year, fixed roadmap for the partnership would not help.",
        "things_to_consider": "It doesn't have to be the same benefit on both sides: for Serlo, "
        "the name “Wikimedia” as a partner was really great; for Wikimedia it might have been "
        "something different. Serlo is small and quicker in certain aspects; WMDE is bigger "
        "and therefore slower.",
        "when_to_use": "If you're small, there might be a bigger organization of free knowledge "
        "you can piggyback on and form coalitions with.",
        "partnerships": ["Informal cooperation on open educational resources"],
        "partner_types": ["open_knowledge"],
        "goals": ["advocacy"],
    },
    {
        "organization": "WMAT",
        "title": "Track in-kind donations",
        "category": "in_kind",
        "problem": "In Austria there were not so many (financial) funding partners available.",
        "solution": "Track the in-kind donations: Wikimedia Österreich keeps a spreadsheet to "
        "track them and an infographic summarizing them.",
        "see_also": "The learning pattern Wikimedia Österreich wrote about the topic (named in "
        "the notes; probably “A short guide to in-kind donations” on Meta-Wiki, not confirmed).",
        "goals": ["funding"],
    },
]


def _organization(code: str) -> Organization | None:
    if code == "wmf":
        return Organization.objects.filter(kind=Organization.Kind.WMF).order_by("pk").first()
    return Organization.objects.filter(short_code=code).first()


@transaction.atomic
def load_demo(out=print) -> int:
    """Load the workshop's lessons (after the partnerships' demo data). Idempotent: a lesson
    already there by its title is left as it is. Returns how many were added."""
    actor = system_actor()
    created = 0
    for spec in LESSONS:
        spec = dict(spec)
        organization = _organization(spec.pop("organization"))
        if organization is None:
            out(f"  skipped “{spec['title']}”: its organization is not loaded")
            continue
        if Lesson.objects.filter(title=spec["title"], is_demo=True).exists():
            continue
        titles = spec.pop("partnerships", [])
        spec["see_also"] = "\n\n".join(filter(None, [spec.get("see_also", ""), SOURCE]))
        services.lesson_create(
            actor=actor,
            organization=organization,
            status=Lesson.Status.PUBLISHED,
            is_demo=True,
            partnerships=list(Partnership.objects.filter(title__in=titles)),
            **spec,
        )
        created += 1
    return created
