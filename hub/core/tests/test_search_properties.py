"""The search never shows, counts or names a record its reader may not see: random partnerships
(words, visibility, participants) and every kind of reader, compared with an independent reading
of the visibility rules (public to all, movement to the signed-in, private to the participants'
members, all to staff) and of which records hold the words."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.accounts.system import system_actor
from hub.core.search import terms
from hub.core.search.models import SearchEntry
from hub.core.search.query import Filters, search
from hub.directory.factories import AffiliateFactory
from hub.partnerships import services
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)

# No word is the start of another, nor part of the organizations' names.
WORDS = ["amber", "cobalt", "indigo", "saffron", "umber", "teal", "ochre", "sepia"]
ORGS = ["Alpha", "Beta", "Gamma"]

record = st.fixed_dictionaries(
    {
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        "body": st.lists(st.sampled_from(WORDS), max_size=4),
        "visibility": st.sampled_from(["public", "movement", "private"]),
        "lead": st.integers(0, 2),
        "partners": st.sets(st.integers(0, 2), min_size=1, max_size=3),
    }
)
query = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True)


@pytest.fixture
def world(db):
    orgs = [AffiliateFactory(name=f"Wikimedia {name}") for name in ORGS]
    readers = {"anonymous": (AnonymousUser(), set()), "nobody": (UserFactory(), set())}
    for index, org in enumerate(orgs):
        user = MembershipFactory(organization=org, role="viewer").user
        readers[f"member {index}"] = (user, {index})
    both = UserFactory()
    MembershipFactory(organization=orgs[0], user=both, role="editor")
    MembershipFactory(organization=orgs[2], user=both, role="viewer")
    readers["member 0 and 2"] = (both, {0, 2})
    readers["staff"] = (UserFactory(is_staff=True), set())
    return orgs, readers


def may_see(user, memberships: set[int], spec: dict) -> bool:
    if user.is_authenticated and user.is_staff:
        return True
    if spec["visibility"] == "public":
        return True
    if spec["visibility"] == "movement":
        return user.is_authenticated
    return bool(memberships & ({spec["lead"]} | spec["partners"]))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(record, min_size=1, max_size=8), words=query)
def test_results_counts_and_facets_are_only_what_the_reader_may_see(world, specs, words):
    orgs, readers = world
    made = []
    try:
        for spec in specs:
            partners = [orgs[i] for i in sorted(spec["partners"] - {spec["lead"]})]
            if not partners:
                partners = [orgs[(spec["lead"] + 1) % 3]]
                spec["partners"] = {(spec["lead"] + 1) % 3}
            made.append(
                services.partnership_create(
                    actor=system_actor(),
                    lead=orgs[spec["lead"]],
                    participants=[services.ParticipantSpec(org) for org in partners],
                    goals=["content"],
                    title=" ".join(spec["title"]),
                    description=" ".join(spec["body"]),
                    visibility=spec["visibility"],
                )
            )
        for name, (user, memberships) in readers.items():
            expected = {
                partnership.pk
                for partnership, spec in zip(made, specs, strict=True)
                if may_see(user, memberships, spec)
                and set(words) <= set(spec["title"]) | set(spec["body"])
            }
            results = search(
                user,
                terms.parse(" ".join(words) + " "),
                Filters(kind="partnership"),
                per_page=100,
            )
            assert {hit.object_id for hit in results.hits} == expected, name
            assert results.total == len(expected), name
            assert results.kinds.get("partnership", 0) == len(expected), name
            assert sum(results.languages.values()) == len(expected), name
            # An organization is counted for the seen partnerships it takes part in, only.
            for org_index, org in enumerate(orgs):
                involved = sum(
                    1
                    for partnership, spec in zip(made, specs, strict=True)
                    if partnership.pk in expected and org_index in {spec["lead"]} | spec["partners"]
                )
                facet = {pk: count for pk, _name, count in results.organizations}
                assert facet.get(org.pk, 0) == involved, name
            by_pk = {p.pk: p for p in made}
            for hit in results.hits:
                assert hit.plain_title == by_pk[hit.object_id].title
                text = f"{by_pk[hit.object_id].title} {by_pk[hit.object_id].description}"
                assert all(word in text.split() for word in words)
    finally:
        Partnership.objects.filter(pk__in=[p.pk for p in made]).delete()
        SearchEntry.objects.filter(kind="partnership").delete()
