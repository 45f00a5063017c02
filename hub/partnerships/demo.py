"""The world of the November 2016 Partnerships Workshop, as demo data (../shared/seed/).

Only what the workshop notes say is recorded: dates, statuses and details the notes do not give stay
empty. Every partnership's description quotes where it comes from.
"""

import datetime
from typing import Any

from django.db import transaction

from hub.accounts.models import Membership, Role, User
from hub.accounts.system import system_actor
from hub.directory import services as directory_services
from hub.directory.models import Organization
from hub.directory.reference import load_reference
from hub.partnerships import services
from hub.partnerships.models import Participant, Partnership, WikimediaProject

SOURCE = "Partnerships Workshop, November 2016 (Meta-Wiki documentation)"
DEMO_PASSWORD = "partnerships-2016"  # noqa: S105 - the demo accounts' published password

# The notes give Wikimedia Österreich no partnership it leads (Claudia spoke of WMAT's in-kind
# tracking), so the demo manager also manages Wikimedia Deutschland, which leads the Serlo
# cooperation in the notes: signed in, they can edit a partnership, manage members and keep WMAT's
# in-kind records.
DEMO_USERS: list[tuple[str, str, list[tuple[str, str]], bool]] = [
    # username, first name, (organization code, role) memberships, staff
    ("demo-manager", "Demo manager", [("WMAT", Role.MANAGER), ("WMDE", Role.MANAGER)], False),
    ("demo-editor", "Demo editor", [("WMPL", Role.EDITOR)], False),
    ("demo-viewer", "Demo viewer", [("WMEE", Role.VIEWER)], False),
    ("demo-admin", "Demo administrator", [], True),
]

EXTERNAL = [
    # name, kind, country, city, description
    (
        "National Museum in Poland",
        "museum",
        "PL",
        "",
        "Called “the Polish National Museum” in the 2016 notes.",
    ),
    (
        "Ethnographic Museum (Poland)",
        "museum",
        "PL",
        "",
        "Called “the Ethnographic Museum” in the 2016 notes.",
    ),
    ("UNESCO", "intergovernmental", "", "", ""),
    ("Serlo", "open_knowledge", "DE", "", "Open educational resources platform."),
    (
        "Regional cooperation of seven Dutch GLAMs",
        "other",
        "NL",
        "",
        "Seven GLAMs that wrote a handbook for other GLAMs; recorded here as one regional cooperation.",
    ),
    ("Swedish universities", "university_research", "SE", "", "Universities WMSE cooperates with."),
    (
        "Estonian cultural heritage roundtable",
        "other",
        "EE",
        "",
        "Fourteen organizations invited by Wikimedia Eesti to a roundtable.",
    ),
]

PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "title": "Wikipedian in Residence at the National Museum in Poland",
        "lead": "WMPL",
        "partners": [("National Museum in Poland", Participant.Role.HOST)],
        "goals": ["content"],
        "structure": "simple",
        "scope": "national",
        "projects": ["wikipedia"],
        "themes": ["GLAM", "Wikipedian in Residence"],
        "description": "Wikimedia Polska's first Wikipedian in Residence, at the Polish National Museum.",
    },
    {
        "title": "Cultures and traditions of the Polish countryside",
        "lead": "WMPL",
        "partners": [("Ethnographic Museum (Poland)", Participant.Role.CONTENT_PROVIDER)],
        "goals": ["content"],
        "structure": "simple",
        "scope": "national",
        "projects": ["wikipedia"],
        "themes": ["GLAM", "cultural heritage"],
        "description": "With volunteers, WMPL covered cultures and traditions in the Polish countryside "
        "extensively, together with the Ethnographic Museum.",
    },
    {
        "title": "Estonian network for cultural heritage",
        "lead": "WMEE",
        "partners": [("Estonian cultural heritage roundtable", Participant.Role.PARTNER)],
        "goals": ["content", "advocacy"],
        "structure": "complex",
        "scope": "national",
        "status": "ended_early",
        "themes": ["cultural heritage", "GLAM"],
        "description": "WMEE invited 14 organizations to a roundtable to create an Estonian network for "
        "cultural heritage. It fell apart and was scaled down, because everyone talked about outputs only.",
        "end_reason": "Lesson learnt: motivate partners to take ownership of the partnership.",
    },
    {
        "title": "Bring Wikipedia to the town",
        "lead": "WMAR",
        "partners": [("UNESCO", Participant.Role.PARTNER)],
        "goals": ["content", "advocacy"],
        "structure": "complex",
        "scope": "national",
        "start_date": datetime.date(2016, 1, 1),
        "projects": ["wikipedia"],
        "themes": ["education"],
        "description": "With UNESCO, WMAR works with teachers in small Argentine communities. In 2016 they "
        "covered culture and traditions of the Argentine countryside; in 2017 the topic is ecology. "
        "(Start recorded as 2016: the notes give the year only.)",
    },
    {
        "title": "Empowering GLAMs: a regional cooperation of seven GLAMs",
        "lead": "WMNL",
        "partners": [("Regional cooperation of seven Dutch GLAMs", Participant.Role.PARTNER)],
        "goals": ["content", "advocacy"],
        "structure": "complex",
        "scope": "regional",
        "themes": ["GLAM"],
        "description": "Seven GLAMs created a handbook to empower other GLAMs to digitize and open their "
        "treasures.",
    },
    {
        "title": "Cooperation with Swedish universities",
        "lead": "WMSE",
        "partners": [("Swedish universities", Participant.Role.PARTNER)],
        "goals": ["content"],
        "structure": "simple",
        "scope": "national",
        "visibility": "movement",
        "themes": ["education", "universities"],
        "description": "A story of “good, bad and ugly”: a bad experience with a professor. Lesson learnt: "
        "always have a contract in place when working with partners.",
    },
    {
        "title": "Informal cooperation on open educational resources",
        "lead": "WMDE",
        "partners": [("Serlo", Participant.Role.PARTNER)],
        "goals": ["advocacy"],
        "structure": "simple",
        "scope": "national",
        "themes": ["open educational resources"],
        "description": "Serlo took part in WMDE's Open Educational Resources activities; both share a vision "
        "on OER. Serlo wants to learn about community support, crowdfunding and software development. "
        "Win-win and tangible projects first.",
    },
]


def _users(out) -> None:
    for username, first_name, memberships, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for code, role in memberships:
            Membership.objects.get_or_create(
                user=user,
                organization=Organization.objects.get(short_code=code),
                defaults={"role": role},
            )
        roles = ", ".join(f"{role} of {code}" for code, role in memberships)
        out(f"  {username} / {DEMO_PASSWORD}  ({roles or 'administrator'})")


@transaction.atomic
def load_demo(out=print) -> int:
    """Load the reference data, the workshop's organizations, partnerships and demo accounts. Idempotent."""
    load_reference()
    actor = system_actor()
    for name, kind, country, city, description in EXTERNAL:
        if not Organization.objects.filter(name=name).exists():
            directory_services.organization_create(
                actor=actor,
                name=name,
                kind=kind,
                country=country,
                city=city,
                description=description,
                source_note=SOURCE,
            )
    created = 0
    for spec in PARTNERSHIPS:
        lead = Organization.objects.get(short_code=spec["lead"])
        if Partnership.objects.filter(title=spec["title"], lead=lead).exists():
            continue
        services.partnership_create(
            actor=actor,
            title=spec["title"],
            lead=lead,
            participants=[
                services.ParticipantSpec(Organization.objects.get(name=name), role)
                for name, role in spec["partners"]
            ],
            goals=spec["goals"],
            structure=spec["structure"],
            scope=spec["scope"],
            status=spec.get("status", "active"),
            visibility=spec.get("visibility", "public"),
            start_date=spec.get("start_date"),
            description=spec["description"] + f"\n\nSource: {SOURCE}.",
            projects=WikimediaProject.objects.filter(code__in=spec.get("projects", [])),
            themes=services.themes_from_names(spec.get("themes", [])),
        )
        if spec.get("end_reason"):
            Partnership.objects.filter(title=spec["title"]).update(end_reason=spec["end_reason"])
        created += 1
    out("Demo accounts (user / password):")
    _users(out)
    return created
