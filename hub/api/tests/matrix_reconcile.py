"""The reconciliation service in the permission matrix (gathered by hub/api/tests/matrix.py).

The service reads no session: every persona gets what an anonymous client such as OpenRefine
gets (tokens are tested in test_reconcile.py). The directory is public, so a real organization's
preview answers everyone; an unknown one answers 404 (test_reconcile.py).
"""

from django.urls import reverse

from hub.core.testing.matrix import Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership


def setup(world):
    museum = OrganizationFactory(name="Reconcile Museum", wikidata_id="Q4242")
    world.objects["reconcile_museum"] = museum
    make_partnership(
        lead=world.affiliate, partners=[museum], title="Reconcile private", visibility="private"
    )


CASES = {
    "reconcile:service": Case(lambda w: reverse("reconcile:service"), everyone(200)),
    "reconcile:preview": Case(
        lambda w: reverse("reconcile:preview", args=[w.reconcile_museum.pk]), everyone(200)
    ),
    "reconcile:suggest_entity": Case(
        lambda w: reverse("reconcile:suggest_entity") + "?prefix=Reconcile", everyone(200)
    ),
    "reconcile:suggest_type": Case(
        lambda w: reverse("reconcile:suggest_type") + "?prefix=mus", everyone(200)
    ),
    "reconcile:suggest_property": Case(
        lambda w: reverse("reconcile:suggest_property") + "?prefix=c", everyone(200)
    ),
}
