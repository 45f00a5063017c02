"""The outcomes app's pages and API in the permission matrix: a private partnership of the
affiliate with one figure (two files as its keys)."""

from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.outcomes.factories import make_figure
from hub.partnerships.factories import make_partnership


def setup(world):
    partnership = make_partnership(
        lead=world.affiliate,
        actor=world.users["editor"],
        title="Outcomes of a private partnership",
        visibility="private",
    )
    world.objects["outcomes_partnership"] = partnership
    world.objects["outcomes_figure"] = make_figure(
        partnership=partnership,
        metric="commons_uploads",
        actor=world.users["editor"],
        keys=["File:Private one.jpg", "File:Private two.jpg"],
    )


def _partnership(name):
    return lambda w: reverse(name, args=[w.outcomes_partnership.pk])


def _figure(name):
    return lambda w: reverse(name, args=[w.outcomes_figure.pk])


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
EDIT_PRIVATE = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}

CASES = {
    "outcomes:index": Case(lambda w: reverse("outcomes:index"), everyone(200)),
    "outcomes:definitions": Case(lambda w: reverse("outcomes:definitions"), everyone(200)),
    "outcomes:definition": Case(
        lambda w: reverse("outcomes:definition", args=["commons_uploads", 1]), everyone(200)
    ),
    "outcomes:figure_create": Case(
        _partnership("outcomes:figure_create"), EDIT_PRIVATE, default=200
    ),
    "outcomes:commons_fetch": Case(
        _partnership("outcomes:commons_fetch"), EDIT_PRIVATE, default=200
    ),
    "outcomes:dashboard_import": Case(
        _partnership("outcomes:dashboard_import"), EDIT_PRIVATE, default=200
    ),
    "outcomes:figure_edit": Case(_figure("outcomes:figure_edit"), EDIT_PRIVATE, default=200),
    "outcomes:figure_delete": Case(
        _figure("outcomes:figure_delete"), EDIT_PRIVATE, default=302, method="post"
    ),
    "outcomes:figure_history": Case(_figure("outcomes:figure_history"), SEE_PRIVATE, default=200),
}

CASES |= {
    "api:outcome_definition_list": Case(
        lambda w: reverse("api:outcome_definition_list"), everyone(200)
    ),
    "api:outcome_figure_list": Case(lambda w: reverse("api:outcome_figure_list"), everyone(200)),
    # A figure of the private partnership: its editors record it; the viewer may see but not
    # edit (403); the outsider may not see it (404); signed out, 401.
    "api:outcome_figure_create": Case(
        lambda w: reverse("api:outcome_figure_list"),
        {"anonymous": 401, "viewer": 403, "outsider": 404},
        default=201,
        method="post",
        content_type="application/json",
        data=lambda w: {
            "partnership": w.outcomes_partnership.pk,
            "metric": "people_reached",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "value": "12",
        },
    ),
    "api:outcome_movement_totals": Case(
        lambda w: reverse("api:outcome_movement_totals"), everyone(200)
    ),
    "api:organization_outcomes": Case(
        lambda w: reverse("api:organization_outcomes", args=[w.affiliate.pk]), everyone(200)
    ),
}
