"""The figure cache: viewer scopes, the generation, and the history recorder that moves it."""

import pytest
from django.core.cache import cache
from django.db import transaction

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.core import figcache, history
from hub.core.cache import clear_computed
from hub.core.models import HistoryEntry
from hub.directory.factories import AffiliateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_each_way_of_seeing_has_its_own_scope(affiliate, other_affiliate, anonymous, staff):
    member = MembershipFactory(organization=affiliate, role="viewer").user
    same_orgs = MembershipFactory(organization=affiliate, role="editor").user
    both = MembershipFactory(organization=affiliate).user
    MembershipFactory(organization=other_affiliate, user=both)
    scopes = {
        "anonymous": figcache.viewer_scope(anonymous),
        "signed-in": figcache.viewer_scope(UserFactory()),
        "member": figcache.viewer_scope(member),
        "both": figcache.viewer_scope(both),
        "staff": figcache.viewer_scope(staff),
    }
    assert len(set(scopes.values())) == len(scopes)
    # Members of the same organizations see the same records, whatever their role.
    assert figcache.viewer_scope(same_orgs) == scopes["member"]


def test_a_value_is_made_again_once_the_generation_moves():
    made = []

    def make():
        made.append(1)
        return len(made)

    assert figcache.cached("figures:test:a", make, 60) == 1
    assert figcache.cached("figures:test:a", make, 60) == 1
    figcache.bump()
    assert figcache.cached("figures:test:a", make, 60) == 2


def test_an_erasure_that_empties_the_cache_leaves_a_working_generation():
    figcache.cached("figures:test:b", lambda: "old", 60)
    before = figcache.generation()
    clear_computed(cache)
    assert figcache.cached("figures:test:b", lambda: "new", 60) == "new"
    assert figcache.generation() != before


def test_every_history_entry_moves_the_generation_after_commit(
    affiliate, django_capture_on_commit_callbacks
):
    before = figcache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        history.record(actor=None, instance=affiliate, action=HistoryEntry.Action.CREATE)
        assert figcache.generation() == before  # not before the write commits
    assert callbacks
    for callback in callbacks:
        callback()
    moved = figcache.generation()
    assert moved != before
    with django_capture_on_commit_callbacks(execute=True):
        history.record_changes(
            actor=None,
            model=type(affiliate),
            object_id=affiliate.pk,
            object_repr=str(affiliate),
            action=HistoryEntry.Action.IMPORT,
            changes={"imported_contributions": [None, 3]},
        )
    assert figcache.generation() != moved


def test_a_change_that_changed_nothing_moves_nothing(affiliate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        history.record(
            actor=None,
            instance=affiliate,
            action=HistoryEntry.Action.CHANGE,
            before={"name": "A"},
            after={"name": "A"},
        )
    assert callbacks == []


def _rename(organization) -> None:
    history.record(
        actor=None,
        instance=organization,
        action=HistoryEntry.Action.CHANGE,
        before={"name": "A"},
        after={"name": "B"},
    )


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_generation_and_a_rolled_back_one_does_not():
    """With real commits (no test transaction around them)."""
    organization = AffiliateFactory()
    start = figcache.generation()

    @transaction.atomic
    def refused():
        _rename(organization)
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused()
    assert figcache.generation() == start
    with transaction.atomic():
        _rename(organization)
        assert figcache.generation() == start
    assert figcache.generation() != start
