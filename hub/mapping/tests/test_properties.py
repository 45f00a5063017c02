"""Random registries: every count of the mapping page and the dashboard equals an independent count.

Hypothesis draws a registry (movement and external organizations, an alliance, partnerships with
random goals, structure, status, scope, visibility, years, themes and participants), a viewer and a
filter. The figures (the same functions the views use), the CSV download and the drawn SVG must agree
with a plain Python count over the same records, made without the ORM's filters.
"""

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.accounts.system import system_actor
from hub.core.regions import REGION_OF
from hub.directory.models import AllianceMembership, Organization
from hub.mapping import figures
from hub.mapping.figures import FilterSet
from hub.partnerships import services
from hub.partnerships.models import Partnership, Theme

EXTERNAL = ["museum", "library", "university_research", "government", "company"]
COUNTRIES = ["AT", "DE", "BR", "KE", "IN", "US", ""]
STATUSES = [s.value for s in Partnership.Status]
RUNNING = [s.value for s in Partnership.RUNNING_STATUSES]
GOALS = ["funding", "content", "advocacy"]

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Plan:
    movement: list[str]  # countries of the movement organizations (chapters)
    external: list[tuple[str, str]]  # (kind, country)
    alliance_members: list[int]  # indexes into movement
    partnerships: list[dict] = field(default_factory=list)
    viewer: str = "anonymous"
    viewer_org: int = 0
    query: dict = field(default_factory=dict)


@st.composite
def plans(draw):
    movement = draw(st.lists(st.sampled_from(COUNTRIES), min_size=2, max_size=4))
    external = draw(
        st.lists(
            st.tuples(st.sampled_from(EXTERNAL), st.sampled_from(COUNTRIES)),
            min_size=1,
            max_size=5,
        )
    )
    members = draw(st.sets(st.integers(0, len(movement) - 1), max_size=len(movement)))
    orgs = len(movement) + len(external)
    partnerships = []
    for _ in range(draw(st.integers(0, 12))):
        lead = draw(st.integers(0, len(movement) - 1))
        others = draw(
            st.sets(st.integers(0, orgs - 1).filter(lambda i, lead=lead: i != lead), min_size=1)
        )
        start = draw(st.none() | st.integers(2012, 2020))
        end = None
        if start is not None and draw(st.booleans()):
            end = start + draw(st.integers(0, 4))
        partnerships.append(
            {
                "lead": lead,
                "others": sorted(others),
                "goals": sorted(draw(st.sets(st.sampled_from(GOALS), min_size=1))),
                "structure": draw(st.sampled_from(["simple", "complex"])),
                "override": draw(st.sampled_from(["", "", "internal", "external"])),
                "status": draw(st.sampled_from(STATUSES)),
                "scope": draw(st.sampled_from(["local", "national", "regional", "global"])),
                "visibility": draw(st.sampled_from(["public", "movement", "private"])),
                "start": start,
                "end": end,
                "themes": sorted(draw(st.sets(st.sampled_from(["glam", "education"])))),
            }
        )
    viewer = draw(st.sampled_from(["anonymous", "member", "outsider", "staff"]))
    viewer_org = draw(st.integers(0, len(movement) - 1))
    query = draw(
        st.one_of(
            st.just({}),
            st.fixed_dictionaries({"country": st.sampled_from([c for c in COUNTRIES if c])}),
            st.fixed_dictionaries({"region": st.sampled_from(["europe", "africa", "asia"])}),
            st.fixed_dictionaries(
                {"status": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3)}
            ),
            st.fixed_dictionaries({"scope": st.lists(st.sampled_from(["local", "global"]))}),
            st.fixed_dictionaries(
                {
                    "organization": st.sampled_from(["m0", "e0", "alliance"]),
                    "members": st.booleans(),
                }
            ),
            st.fixed_dictionaries({"alliance": st.just("alliance")}),
            st.fixed_dictionaries({"theme": st.sampled_from(["glam", "education"])}),
            st.fixed_dictionaries(
                {"year_from": st.integers(2012, 2022), "year_to": st.integers(2012, 2022)}
            ),
            st.fixed_dictionaries({"started": st.integers(2012, 2020)}),
            st.fixed_dictionaries({"partner_kind": st.sampled_from(EXTERNAL)}),
            st.fixed_dictionaries(
                {
                    "goal": st.lists(st.sampled_from(GOALS), min_size=1, max_size=2, unique=True),
                    "goal_match": st.sampled_from(["any", "all", "exact"]),
                }
            ),
            st.fixed_dictionaries(
                {
                    "structure": st.sampled_from(["simple", "complex"]),
                    "direction": st.sampled_from(["internal", "external"]),
                }
            ),
            st.fixed_dictionaries({"visibility": st.sampled_from(["public", "private"])}),
        )
    )
    return Plan(movement, external, sorted(members), partnerships, viewer, viewer_org, query)


@dataclass
class Record:
    pk: int
    goals: frozenset
    structure: str
    direction: str
    status: str
    scope: str
    visibility: str
    start: datetime.date | None
    end: datetime.date | None
    themes: set
    orgs: list  # (id, kind, country)


def build(plan: Plan):
    """Create the planned registry through the services; return the records, a user and the query."""
    actor = system_actor()
    movement = [
        Organization.objects.create(name=f"Chapter {i}", kind="chapter", country=c)
        for i, c in enumerate(plan.movement)
    ]
    external = [
        Organization.objects.create(name=f"External {i}", kind=k, country=c)
        for i, (k, c) in enumerate(plan.external)
    ]
    alliance = Organization.objects.create(name="Hub", kind="hub", country="DE")
    for i in plan.alliance_members:
        AllianceMembership.objects.create(alliance=alliance, member=movement[i])
    everyone = movement + external
    themes = {
        slug: Theme.objects.create(name=slug.title(), slug=slug) for slug in ("glam", "education")
    }
    records: list[Record] = []
    for spec in plan.partnerships:
        lead = movement[spec["lead"]]
        others = [everyone[i] for i in spec["others"]]
        p = services.partnership_create(
            actor=actor,
            title=f"P{len(records)}",
            lead=lead,
            participants=[services.ParticipantSpec(o) for o in others],
            goals=spec["goals"],
            structure=spec["structure"],
            status=spec["status"],
            scope=spec["scope"],
            visibility=spec["visibility"],
            start_date=datetime.date(spec["start"], 3, 1) if spec["start"] else None,
            end_date=datetime.date(spec["end"], 6, 30) if spec["end"] else None,
            direction_override=spec["override"],
            direction_override_reason="test" if spec["override"] else "",
            themes=[themes[t] for t in spec["themes"]],
        )
        records.append(
            Record(
                p.pk,
                frozenset(spec["goals"]),
                spec["structure"],
                p.direction,
                spec["status"],
                spec["scope"],
                spec["visibility"],
                p.start_date,
                p.end_date,
                set(spec["themes"]),
                [(o.pk, o.kind, o.country) for o in [lead, *others]],
            )
        )
    if plan.viewer == "anonymous":
        user = None
        can_see = lambda r: r.visibility == "public"  # noqa: E731
    elif plan.viewer == "staff":
        user = UserFactory(is_staff=True)
        can_see = lambda r: True  # noqa: E731
    else:
        user = UserFactory()
        mine = set()
        if plan.viewer == "member":
            org = movement[plan.viewer_org]
            MembershipFactory(user=user, organization=org, role="viewer")
            mine = {org.pk}
        can_see = lambda r: r.visibility != "private" or any(o[0] in mine for o in r.orgs)  # noqa: E731

    query = dict(plan.query)
    if "organization" in query:
        query["organization"] = {"m0": movement[0], "e0": external[0], "alliance": alliance}[
            query["organization"]
        ].pk
        if not query["members"]:
            del query["members"]
    if "alliance" in query:
        query["alliance"] = alliance.pk
    members = {movement[i].pk for i in plan.alliance_members}
    visible = [r for r in records if can_see(r)]
    return visible, user, query, alliance, members


def matches(r: Record, query: dict, alliance, members: set, drop=()) -> bool:
    """The registry's filters, written out plainly over a record."""
    q = {k: v for k, v in query.items() if k not in drop}
    countries = {o[2] for o in r.orgs}
    ids = {o[0] for o in r.orgs}
    if "country" in q and q["country"] not in countries:
        return False
    if "region" in q and q["region"] not in {REGION_OF.get(c) for c in countries}:
        return False
    if "status" in q and r.status not in q["status"]:
        return False
    if q.get("scope") and r.scope not in q["scope"]:
        return False
    if "organization" in q:
        wanted = {q["organization"]}
        if q.get("members") and q["organization"] == alliance.pk:
            wanted |= members
        if not ids & wanted:
            return False
    if "alliance" in q and not ids & members:
        return False
    if "theme" in q and q["theme"] not in r.themes:
        return False
    if "partner_kind" in q and q["partner_kind"] not in {o[1] for o in r.orgs}:
        return False
    if "goal" in q:
        wanted = set(q["goal"])
        match = q.get("goal_match", "any")
        if match == "any" and not wanted & r.goals:
            return False
        if match == "all" and not wanted <= r.goals:
            return False
        if match == "exact" and wanted != r.goals:
            return False
    if "structure" in q and r.structure != q["structure"]:
        return False
    if "direction" in q and r.direction != q["direction"]:
        return False
    if "visibility" in q and r.visibility != q["visibility"]:
        return False
    if "started" in q and (r.start is None or r.start.year != q["started"]):
        return False
    if "year_from" in q:
        first, last = sorted([q["year_from"], q["year_to"]])
        if r.start is None or r.start.year > last:
            return False
        if r.end is not None and r.end.year < first:
            return False
    return True


def as_querydict(query: dict) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            qd.appendlist(key, "on" if item is True else str(item))
    return qd


def column(figure, index=0) -> dict:
    return {row.key: row.values[index] for row in figure.rows}


def check(plan: Plan) -> None:
    visible, user, query, alliance, members = build(plan)
    fs = FilterSet.read(as_querydict(query))
    assert not fs.filters.notices, fs.filters.notices
    viewer = user
    if viewer is None:
        from django.contrib.auth.models import AnonymousUser

        viewer = AnonymousUser()

    def subset(drop):
        return [r for r in visible if matches(r, query, alliance, members, drop)]

    # the goal diagram
    pool = subset(("goal", "goal_match"))
    goals = figures.goal_figure(viewer, fs)
    expected = Counter("+".join(g for g in GOALS if g in r.goals) or "none" for r in pool)
    assert goals.total == len(pool)
    assert column(goals) == {key: expected.get(key, 0) for key, _g in figures.GOAL_REGIONS}
    # the structure map, and its marks
    pool = subset(("structure", "direction"))
    structure = figures.structure_figure(viewer, fs)
    expected = Counter(f"{r.structure}+{r.direction}" for r in pool)
    assert column(structure) == {
        f"{s}+{d}": expected.get(f"{s}+{d}", 0) for s, d in figures.QUADRANTS
    }
    assert structure.marks is not None
    assert sorted(m.url for m in structure.marks) == sorted(f"/partnerships/{r.pk}/" for r in pool)
    # started per year, by goal
    pool = [r for r in subset(("goal", "goal_match", "started")) if r.start]
    started = figures.started_figure(viewer, fs)
    years = sorted({r.start.year for r in pool})
    assert [row.key for row in started.rows] == [str(y) for y in years]
    for row in started.rows:
        in_year = [r for r in pool if r.start.year == int(row.key)]
        assert row.values == [len(in_year), *(sum(g in r.goals for r in in_year) for g in GOALS)]
    # status
    pool = subset(("status",))
    assert column(figures.status_figure(viewer, fs)) == {
        s: sum(r.status == s for r in pool) for s in STATUSES
    }
    # running partnerships by type, country and region
    running = [s for s in RUNNING if "status" not in query or s in query["status"]]

    def running_pool(drop):
        return [r for r in subset((*drop, "status")) if r.status in running]

    pool = running_pool(("partner_kind",))
    kinds = Counter(k for r in pool for k in {o[1] for o in r.orgs} if k in EXTERNAL)
    assert column(figures.kind_figure(viewer, fs)) == dict(kinds)
    pool = running_pool(("country",))
    by_country = Counter(c for r in pool for c in {o[2] for o in r.orgs} if c)
    assert column(figures.country_figure(viewer, fs)) == dict(by_country)
    pool = running_pool(("region",))
    by_region = Counter(g for r in pool for g in {REGION_OF.get(o[2]) for o in r.orgs} if g)
    regions = figures.region_figure(viewer, fs)
    assert {k: v for k, v in column(regions).items() if v} == dict(by_region)
    assert regions.total == len(pool)
    # the most-partnered external organizations
    pool = subset(("organization", "members"))
    per_org = Counter(o[0] for r in pool for o in r.orgs if o[1] in EXTERNAL)
    top = figures.organizations_figure(viewer, fs)
    for row in top.rows:
        assert row.values[0] == per_org[int(row.key)]
    assert (
        sorted((row.values[0] for row in top.rows), reverse=True)
        == sorted(per_org.values(), reverse=True)[: figures.TOP_ORGANIZATIONS]
    )

    # the CSV downloads carry the same numbers
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, figure in (("goals", goals), ("structure", structure)):
        response = client.get(f"/mapping/{name}.csv", as_querydict(query))
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == figure.csv_header()
        assert {row[0]: int(row[2]) for row in rows[1:]} == column(figure)
        # and the SVG (written by hub.mapping.drawing) shows each row's count under its label
        svg = ET.fromstring(client.get(f"/mapping/{name}.svg", as_querydict(query)).content)  # noqa: S314
        shown = {
            g.get("aria-label"): "".join(next(g.iter(f"{SVG}text")).itertext())
            for g in svg.iter(f"{SVG}g")
            if g.get("aria-label")
        }
        for row in figure.rows:
            if row.key != "none":
                assert shown[row.label].split(" ")[0] == str(row.values[0]), (name, row.key)
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in svg.iter(f"{SVG}a")}
    assert links == {m.url for m in structure.marks}
    response = client.get("/dashboard/started.csv", as_querydict(query))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [[int(v) for v in row[2:]] for row in rows[1:]] == [row.values for row in started.rows]


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans())
def test_every_count_matches_an_independent_count(plan):
    with transaction.atomic():
        check(plan)
        transaction.set_rollback(True)
