"""Roll-ups over overlapping partnerships, alliances and shared participants: every total checked
against a count made here from the raw keys, never from the code under test."""

import decimal

import pytest

from hub.accounts.system import system_actor
from hub.directory import services as directory
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.models import Organization
from hub.outcomes import rollups
from hub.outcomes.factories import make_figure
from hub.partnerships.factories import make_partnership
from hub.partnerships.services import ParticipantSpec

# Raw keys per partnership, written as people write them (underscores, lower case first letters):
# the independent count below normalizes them its own simple way.
FILES = {
    "p1": ["File:Tram_1.jpg", "File:Tram 2.jpg", "file:tram 3.jpg"],
    "p2": ["File:Tram 2.jpg", "File:Tram_3.jpg", "File:Tram 4.jpg"],
    "p3": ["File:Tram 4.jpg", "File:Tram 5.jpg"],
    "p4": ["File:Tram 6.jpg", "File:Tram 1.jpg"],
}
PEOPLE = {
    "p1": ["Alice", "Bob"],
    "p2": ["bob", "Carol"],
    "p3": ["Alice", "Dave_X"],
    "p4": ["Erin"],
}
REACHED = {"p1": 100, "p2": 50, "p3": 30, "p4": 7}
# p1 and p2 report the same Dashboard course: its views count once.
VIEWS = {"p1": ("c1", 1000), "p2": ("c1", 1000), "p3": ("c3", 20)}


def _canonical(key: str) -> str:
    name = key.split(":", 1)[1] if key.lower().startswith("file:") else key
    name = name.replace("_", " ")
    return name[0].upper() + name[1:]


def _distinct(raw: dict[str, list[str]], names) -> int:
    return len({_canonical(k) for name in names for k in raw[name]})


@pytest.fixture
def world(db, affiliate, other_affiliate, viewer):
    actor = system_actor()
    third = AffiliateFactory(name="Wikimedia Thirdland")
    museum = OrganizationFactory(name="Tram Museum")
    library = OrganizationFactory(name="City Library")
    hub = AffiliateFactory(name="Tram Hub", kind=Organization.Kind.HUB)
    network = AffiliateFactory(name="Tram Network", kind=Organization.Kind.NETWORK)
    for alliance, members in (
        (hub, [affiliate, other_affiliate]),
        (network, [other_affiliate, third]),
    ):
        for member in members:
            directory.alliance_membership_add(actor=actor, alliance=alliance, member=member)
    p = {
        "p1": make_partnership(lead=affiliate, partners=[museum], title="Trams one"),
        # p2 is led by the other affiliate, with the affiliate and the same museum taking part
        "p2": make_partnership(
            lead=other_affiliate,
            partners=[museum, ParticipantSpec(affiliate)],
            title="Trams two",
        ),
        "p3": make_partnership(lead=third, partners=[library], title="Trams three"),
        "p4": make_partnership(
            lead=affiliate, partners=[library], title="Trams private", visibility="private"
        ),
    }
    for name, partnership in p.items():
        make_figure(partnership=partnership, metric="commons_uploads", keys=FILES[name])
        make_figure(partnership=partnership, metric="participants", keys=PEOPLE[name])
        make_figure(
            partnership=partnership,
            metric="people_reached",
            value=REACHED[name],
            source="asserted" if name == "p3" else "hand",
        )
        if name in VIEWS:
            course, views = VIEWS[name]
            make_figure(
                partnership=partnership,
                metric="page_views",
                value=views,
                source="dashboard",
                source_ref=f"dashboard:{course}",
            )
    return {
        "p": p,
        "affiliate": affiliate,
        "other": other_affiliate,
        "third": third,
        "hub": hub,
        "network": network,
    }


def _by_key(totals):
    return {t.definition.key: t for t in totals}


def _expected(names):
    return {
        "commons_uploads": _distinct(FILES, names),
        "participants": _distinct(PEOPLE, names),
        "people_reached": sum(REACHED[n] for n in names),
        "page_views": sum(dict(VIEWS[n] for n in names if n in VIEWS).values()),
    }


SCOPES = {
    # scope: (partnership names for a member of the affiliate, for anyone else)
    "movement": (["p1", "p2", "p3", "p4"], ["p1", "p2", "p3"]),
    "affiliate": (["p1", "p2", "p4"], ["p1", "p2"]),
    "other": (["p2"], ["p2"]),
    "third": (["p3"], ["p3"]),
    "hub": (["p1", "p2", "p4"], ["p1", "p2"]),
    "network": (["p2", "p3"], ["p2", "p3"]),
}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("reader", ["viewer", "anonymous", "outsider"])
def test_every_total_equals_the_independent_count(world, scope, reader, request):
    user = request.getfixturevalue(reader)
    names = SCOPES[scope][0 if reader == "viewer" else 1]
    if scope == "movement":
        totals = rollups.totals(rollups.movement_partnerships(user))
    else:
        totals = rollups.totals_for_organization(user, world[scope])
    got = _by_key(totals)
    expected = _expected(names)
    for metric, value in expected.items():
        if value == 0:
            assert metric not in got
            continue
        assert got[metric].value == decimal.Decimal(value), (scope, reader, metric)
    assert {t.partnerships for t in got.values()} <= set(range(len(names) + 1))
    assert got["commons_uploads"].partnerships == len(names)


def test_movement_uploads_equal_the_distinct_files_behind_them(world, staff):
    total = _by_key(rollups.totals(rollups.movement_partnerships(staff)))["commons_uploads"]
    files = {_canonical(k) for keys in FILES.values() for k in keys}
    assert total.value == len(files) == 6
    # a sum of the partnerships' own figures would say 10
    assert sum(len(set(map(_canonical, keys))) for keys in FILES.values()) == 10
    assert total.keyed_figures == 4
    assert total.summed_figures == 0


def test_the_total_says_how_it_was_made(world, staff):
    got = _by_key(rollups.totals(rollups.movement_partnerships(staff)))
    assert (
        "Each Commons file counted once (distinct keys): 6, from 4 figures."
        in got["commons_uploads"].method
    )
    reached = got["people_reached"]
    assert reached.summed_figures == 4
    # p1 and p2 share the Tram Museum; p3 and p4 share the City Library
    assert reached.sharing_partners == 4
    assert "May double count: 4 partnerships" in reached.method
    assert reached.asserted_figures == 1
    assert "1 of them is asserted by the organiser, not counted." in reached.method
    views = got["page_views"]
    assert views.repeats_counted_once == 1
    assert "1 repeated figure from the same source record counted once." in views.method


def test_a_partnership_alone_counts_its_own_distinct_keys(world, staff):
    p1 = world["p"]["p1"]
    got = _by_key(rollups.totals(rollups.movement_partnerships(staff).filter(pk=p1.pk)))
    assert got["commons_uploads"].value == 3
    assert got["participants"].value == 2


def test_a_year_keeps_the_figures_whose_period_overlaps_it(affiliate, staff):
    import datetime

    partnership = make_partnership(lead=affiliate, title="Years")
    for start, end, keys in (
        ("2025-11-01", "2026-01-31", ["File:A.jpg", "File:B.jpg"]),
        ("2026-06-01", "2026-06-30", ["File:B.jpg", "File:C.jpg"]),
        ("2027-01-01", "2027-01-31", ["File:D.jpg"]),
    ):
        make_figure(
            partnership=partnership,
            metric="commons_uploads",
            keys=keys,
            period_start=datetime.date.fromisoformat(start),
            period_end=datetime.date.fromisoformat(end),
        )
    everyone = rollups.movement_partnerships(staff)
    assert [t.value for t in rollups.totals(everyone, year=2026)] == [3]
    assert [t.value for t in rollups.totals(everyone, year=2025)] == [2]
    assert [t.value for t in rollups.totals(everyone, year=2028)] == []
    assert [t.value for t in rollups.totals(everyone)] == [4]
