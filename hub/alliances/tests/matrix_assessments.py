"""The assessments' pages and API in the permission matrix: an alliance whose member is the
affiliate, assessed by the affiliate's editor and shared with the alliance (so its members read
it; the outsider, another affiliate's manager, does not)."""

from django.urls import reverse

from hub.alliances.assessments.factories import make_alliance, make_assessment
from hub.core.testing.matrix import SIGN_IN, Case, everyone


def setup(world) -> None:
    alliance = make_alliance(members=[world.affiliate], name="Matrix Alliance")
    world.objects["alliances_alliance"] = alliance
    world.objects["alliances_assessment"] = make_assessment(
        actor=world.users["editor"],
        alliance=alliance,
        organization=world.affiliate,
        sharing="alliance",
    )


def _alliance(name):
    return lambda w: reverse(name, args=[w.alliances_alliance.pk])


def _assessment(name):
    return lambda w: reverse(name, args=[w.alliances_assessment.pk])


READERS = {"anonymous": 404, "outsider": 404}
# The assessor (the editor) and staff change it; the affiliate's manager does not manage the alliance.
CHANGERS = {"anonymous": SIGN_IN, "viewer": 403, "manager": 403, "outsider": 404}
ASSESSORS = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 403}

CASES = {
    "alliances:assessments": Case(_alliance("alliances:assessments"), everyone(200)),
    "alliances:assessments_csv": Case(_alliance("alliances:assessments_csv"), everyone(200)),
    "alliances:assessment_create": Case(
        _alliance("alliances:assessment_create"), ASSESSORS, default=200
    ),
    "alliances:assessment_detail": Case(
        _assessment("alliances:assessment_detail"), READERS, default=200
    ),
    "alliances:assessment_history": Case(
        _assessment("alliances:assessment_history"), READERS, default=200
    ),
    "alliances:assessment_edit": Case(
        _assessment("alliances:assessment_edit"), CHANGERS, default=200
    ),
    "alliances:assessment_delete": Case(
        _assessment("alliances:assessment_delete"), CHANGERS, default=302, method="post"
    ),
    "alliances:roles": Case(_alliance("alliances:roles"), everyone(200)),
    "alliances:roles_csv": Case(_alliance("alliances:roles_csv"), everyone(200)),
    "api:alliance_assessments": Case(
        lambda w: reverse("api:alliance_assessments", kwargs={"id": w.alliances_alliance.pk}),
        everyone(200),
    ),
    "api:alliance_roles": Case(
        lambda w: reverse("api:alliance_roles", kwargs={"id": w.alliances_alliance.pk}),
        everyone(200),
    ),
}
