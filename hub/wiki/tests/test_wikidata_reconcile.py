"""Reconciling the directory with Wikidata in the background, the review queue (accept, pick
another, reject), and organizations that share an item, merged keeping their partnerships."""

import pytest
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.directory import merging
from hub.directory import services as directory_services
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Participant
from hub.wiki.tests.wikidata_server import wikidata  # noqa: F401
from hub.wiki.wikidata import services
from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def directory(affiliate):
    return {
        "duhok": OrganizationFactory(name="University of Duhok", country="IQ"),
        "uod": OrganizationFactory(name="UoD", country="IQ", kind="university_research"),
        "unknown": OrganizationFactory(name="Nothing Like It Museum"),
        "linked": OrganizationFactory(name="Linked Museum", wikidata_id="Q42"),
    }


def _reconcile(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wikidata:reconcile"))
    return response, ReconciliationRun.objects.get()


def test_a_run_queues_candidates_best_first_and_shows_its_progress(
    client_for,
    manager,
    directory,
    wikidata,  # noqa: F811
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    client = client_for(manager)
    response, run = _reconcile(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("wikidata:run", args=[run.pk])
    assert run.status == ReconciliationRun.Status.DONE
    # every organization without an item that the manager may change: the three, the affiliate
    assert (run.done, run.total) == (4, 4)
    items = {
        i.organization.name: i for i in ReconciliationItem.objects.select_related("organization")
    }
    assert set(items) == {"University of Duhok", "UoD"}
    duhok = items["University of Duhok"].candidates
    assert duhok[0] == {
        "qid": "Q3666468",
        "label": "University of Duhok",
        "description": "university in Iraq",
        "score": 100,
    }
    assert [c["score"] for c in duhok] == sorted((c["score"] for c in duhok), reverse=True)
    # "UoD" is an alias of both; the description naming Iraq puts Duhok before Derby
    uod = {c["qid"]: c["score"] for c in items["UoD"].candidates}
    assert items["UoD"].candidates[0]["qid"] == "Q3666468"
    assert (uod["Q3666468"], uod["Q3183295"]) == (100, 85)
    assert {p["action"] for p, _headers in wikidata.requests} == {"wbsearchentities"}

    page = client.get(reverse("wikidata:run", args=[run.pk])).content.decode()
    assert "4 of 4 organizations looked up" in page
    assert "2 organizations with candidates to review" in page


def test_a_second_run_skips_what_waits_for_review(
    client_for,
    manager,
    directory,
    wikidata,  # noqa: F811
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    client = client_for(manager)
    _reconcile(client, django_capture_on_commit_callbacks)
    assert services.reconciliation_scope(manager).count() == 2  # the unknown one and the affiliate


def test_a_run_stops_with_wikidatas_reason_when_it_is_down(
    client_for,
    manager,
    directory,
    wikidata,  # noqa: F811
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    wikidata.stop()
    _response, run = _reconcile(client_for(manager), django_capture_on_commit_callbacks)
    assert run.status == ReconciliationRun.Status.FAILED
    assert "cannot be reached" in run.message
    page = client_for(manager).get(reverse("wikidata:run", args=[run.pk]))
    assert page.status_code == 200
    assert "cannot be reached" in page.content.decode()


def _queue(organization, manager, *candidates):
    run = ReconciliationRun.objects.create(started_by=manager, status="done")
    return ReconciliationItem.objects.create(
        run=run, organization=organization, candidates=list(candidates)
    )


DUHOK = {"qid": "Q3666468", "label": "University of Duhok", "description": "", "score": 100}
AUB = {"qid": "Q469482", "label": "American University of Beirut", "description": "", "score": 40}


def test_accepting_a_candidate_shows_its_facts_then_links_the_organization(
    client_for,
    editor,
    manager,
    directory,
    wikidata,  # noqa: F811
):
    suggestion = _queue(directory["duhok"], manager, DUHOK, AUB)
    client = client_for(editor)
    review = client.get(reverse("wikidata:review")).content.decode()
    assert "University of Duhok (Q3666468)" in review
    assert "score 100" in review

    chosen = client.post(
        reverse("wikidata:choose", args=[suggestion.pk]), {f"s{suggestion.pk}-choice": "Q3666468"}
    )
    apply_url = reverse("wikidata:apply", args=[directory["duhok"].pk])
    assert chosen["Location"] == f"{apply_url}?qid=Q3666468&suggestion={suggestion.pk}"
    assert "http://uod.ac" in client.get(chosen["Location"]).content.decode()

    done = client.post(
        apply_url, {"qid": "Q3666468", "suggestion": suggestion.pk, "take": ["website"]}
    )
    assert done["Location"] == reverse("wikidata:review")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.chosen_qid, suggestion.reviewed_by) == (
        "accepted",
        "Q3666468",
        editor,
    )
    directory["duhok"].refresh_from_db()
    assert (directory["duhok"].wikidata_id, directory["duhok"].website) == (
        "Q3666468",
        "http://uod.ac",
    )
    again = client.post(apply_url, {"qid": "Q3666468", "suggestion": suggestion.pk})
    assert again.status_code == 400
    assert "reviewed these suggestions already" in again.content.decode()


def test_a_reviewer_picks_another_item_by_typing_it(
    client_for,
    editor,
    manager,
    directory,
    wikidata,  # noqa: F811
):
    suggestion = _queue(directory["uod"], manager, DUHOK)
    client = client_for(editor)
    chosen = client.post(
        reverse("wikidata:choose", args=[suggestion.pk]),
        {f"s{suggestion.pk}-choice": "Q3666468", f"s{suggestion.pk}-other": "q469482"},
    )
    assert "qid=Q469482" in chosen["Location"]
    client.post(
        reverse("wikidata:apply", args=[directory["uod"].pk]),
        {"qid": "Q469482", "suggestion": suggestion.pk, "take": ["country"]},
    )
    directory["uod"].refresh_from_db()
    assert (directory["uod"].wikidata_id, directory["uod"].country) == ("Q469482", "LB")
    suggestion.refresh_from_db()
    assert suggestion.chosen_qid == "Q469482"


def test_a_typed_item_that_is_not_one_is_named_on_the_review_page(
    client_for, editor, manager, directory
):
    suggestion = _queue(directory["uod"], manager, DUHOK)
    response = client_for(editor).post(
        reverse("wikidata:choose", args=[suggestion.pk]),
        {f"s{suggestion.pk}-other": "Derby"},
        follow=True,
    )
    assert "UoD: &#x27;Derby&#x27; is not a Wikidata item." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_rejecting_keeps_the_organization_without_an_item_and_records_who(
    client_for, editor, manager, directory
):
    suggestion = _queue(directory["duhok"], manager, DUHOK)
    client_for(editor).post(reverse("wikidata:reject", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by) == ("rejected", editor)
    directory["duhok"].refresh_from_db()
    assert directory["duhok"].wikidata_id == ""
    entry = HistoryEntry.objects.get(object_id=suggestion.pk, action="change")
    assert entry.changes["status"] == ["To review", "Rejected"]
    assert client_for(editor).get(reverse("wikidata:review")).content.count(b"<section") == 0


def test_suggestions_for_an_affiliate_are_only_for_those_who_may_change_it(
    client_for, affiliate, manager, editor, outsider
):
    suggestion = _queue(affiliate, manager, DUHOK)
    assert client_for(manager).get(reverse("wikidata:review")).content.count(b"<section") == 1
    assert client_for(outsider).get(reverse("wikidata:review")).content.count(b"<section") == 0
    for user in (outsider, editor):  # the affiliate's facts are its managers'
        response = client_for(user).post(reverse("wikidata:reject", args=[suggestion.pk]))
        assert response.status_code == 404


def test_organizations_sharing_an_item_are_listed_and_merge_keeping_partnerships_and_history(
    client_for, editor, affiliate
):
    older = OrganizationFactory(name="Universität Duhok", wikidata_id="Q3666468")
    newer = OrganizationFactory(name="University of Duhok", wikidata_id="Q3666468")
    directory_services.organization_update(actor=editor, organization=newer, city="Duhok")
    OrganizationFactory(name="Another", wikidata_id="Q469482")
    partnership = make_partnership(lead=affiliate, partners=[newer], title="Duhok editathon")
    client = client_for(editor)
    (edit,) = HistoryEntry.objects.filter(object_id=newer.pk)

    page = client.get(reverse("wikidata:duplicates")).content.decode()
    merge_url = reverse("directory:merge", args=[older.pk, newer.pk])
    assert merge_url in page
    assert "Another" not in page

    token = merging.merge_token(older, newer)
    response = client.post(merge_url, {"token": token})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=newer.pk).exists()
    partners = Participant.objects.filter(partnership=partnership).exclude(organization=affiliate)
    assert [p.organization_id for p in partners] == [older.pk]
    older.refresh_from_db()
    assert older.city == "Duhok"
    edit.refresh_from_db()
    assert edit.object_id == older.pk  # the duplicate's history is the kept one's now
    assert HistoryEntry.objects.filter(object_id=older.pk).count() == 2  # and the merge
    assert (
        "No two organizations you may change share"
        in client.get(reverse("wikidata:duplicates")).content.decode()
    )


def test_only_managers_and_staff_start_a_reconciliation(client_for, editor, viewer):
    for user in (editor, viewer):
        assert client_for(user).post(reverse("wikidata:reconcile")).status_code == 403
    assert not ReconciliationRun.objects.exists()


def test_a_managers_next_run_waits_for_their_last(client_for, manager, directory, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client = client_for(manager)
    client.post(reverse("wikidata:reconcile"))
    response = client.post(reverse("wikidata:reconcile"), follow=True)
    assert "Your reconciliation is still running" in response.content.decode()
    assert ReconciliationRun.objects.get().status == ReconciliationRun.Status.QUEUED
