"""The Wikidata pages in the permission matrix: an external organization without an item (so no
page asks Wikidata), a run started by the affiliate's manager, and suggestions for the affiliate
itself (whose facts only its managers and staff change)."""

from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case
from hub.directory.factories import OrganizationFactory
from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun

CANDIDATE = {"qid": "Q3666468", "label": "University of Duhok", "description": "", "score": 90}


def setup(world) -> None:
    world.objects["wikidata_org"] = OrganizationFactory(name="Matrix Museum", wikidata_id="")
    run = ReconciliationRun.objects.create(started_by=world.users["manager"], status="done")
    world.objects["wikidata_run"] = run
    world.objects["wikidata_suggestion"] = ReconciliationItem.objects.create(
        run=run, organization=world.affiliate, candidates=[CANDIDATE]
    )


EDITORS = {"anonymous": SIGN_IN, "viewer": 403}
MANAGERS = {"anonymous": SIGN_IN, "viewer": 403, "editor": 403}
AFFILIATE_FACTS = {"anonymous": SIGN_IN, "viewer": 404, "editor": 404, "outsider": 404}


def _suggestion(name):
    return lambda w: reverse(name, args=[w.wikidata_suggestion.pk])


CASES = {
    "wikidata:search": Case(lambda w: reverse("wikidata:search"), EDITORS, default=200),
    "wikidata:pick": Case(lambda w: reverse("wikidata:pick"), EDITORS, default=200),
    "wikidata:apply": Case(
        lambda w: reverse("wikidata:apply", args=[w.wikidata_org.pk]), EDITORS, default=200
    ),
    "wikidata:reconcile": Case(lambda w: reverse("wikidata:reconcile"), MANAGERS, default=200),
    "wikidata:run": Case(
        lambda w: reverse("wikidata:run", args=[w.wikidata_run.pk]),
        {"anonymous": SIGN_IN, "manager": 200, "staff": 200},
        default=404,
    ),
    "wikidata:review": Case(
        lambda w: reverse("wikidata:review"), {"anonymous": SIGN_IN}, default=200
    ),
    "wikidata:choose": Case(
        _suggestion("wikidata:choose"),
        AFFILIATE_FACTS,
        default=302,
        method="post",
        data=lambda w: {f"s{w.wikidata_suggestion.pk}-choice": "Q3666468"},
    ),
    "wikidata:reject": Case(
        _suggestion("wikidata:reject"), AFFILIATE_FACTS, default=302, method="post"
    ),
    "wikidata:duplicates": Case(lambda w: reverse("wikidata:duplicates"), EDITORS, default=200),
}
