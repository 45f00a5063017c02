from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership


def setup(world):
    museum = OrganizationFactory(name="Testland Museum")
    world.objects["museum"] = museum
    world.objects["public_partnership"] = make_partnership(
        lead=world.affiliate, partners=[museum], title="Public one", visibility="public"
    )
    world.objects["private_partnership"] = make_partnership(
        lead=world.affiliate, partners=[museum], title="Private one", visibility="private"
    )


def _private(name):
    return lambda w: reverse(name, args=[w.private_partnership.pk])


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
EDIT_PRIVATE = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}

CASES = {
    "partnerships:list": Case(lambda w: reverse("partnerships:list"), everyone(200)),
    "partnerships:export": Case(
        lambda w: reverse("partnerships:export") + "?format=csv", everyone(200)
    ),
    "partnerships:create": Case(
        lambda w: reverse("partnerships:create"), {"anonymous": SIGN_IN, "viewer": 403}, default=200
    ),
    "partnerships:detail": Case(_private("partnerships:detail"), SEE_PRIVATE, default=200),
    "partnerships:history": Case(_private("partnerships:history"), SEE_PRIVATE, default=200),
    "partnerships:edit": Case(_private("partnerships:edit"), EDIT_PRIVATE, default=200),
    "partnerships:end": Case(_private("partnerships:end"), EDIT_PRIVATE, default=200),
    "partnerships:participant_row": Case(
        lambda w: reverse("partnerships:participant_row") + "?index=3", everyone(200)
    ),
    "partnerships:who_works_with": Case(
        lambda w: reverse("partnerships:who_works_with") + f"?organization=%23{w.museum.pk}",
        everyone(200),
    ),
    "partnerships:organization_options": Case(
        lambda w: reverse("partnerships:organization_options") + "?q=Test", everyone(200)
    ),
    "partnerships:partnership_options": Case(
        lambda w: reverse("partnerships:partnership_options") + "?q=one", everyone(200)
    ),
}
