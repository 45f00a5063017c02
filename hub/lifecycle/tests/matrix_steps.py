"""The steps pages in the permission matrix (gathered by hub/lifecycle/tests/matrix.py)."""

from django.urls import reverse
from django.utils import timezone

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.factories_steps import make_lifecycle, start_progress, step_of
from hub.lifecycle.steps import progress
from hub.partnerships.factories import make_partnership


def setup(world):
    museum = OrganizationFactory(name="Steps Museum")
    lifecycle = make_lifecycle(world.affiliate)
    world.objects["steps_lifecycle"] = lifecycle
    world.objects["steps_other_lifecycle"] = make_lifecycle(
        world.affiliate, "wmde_data", default=False
    )
    partnership = make_partnership(
        lead=world.affiliate, partners=[museum], title="Steps private", visibility="private"
    )
    world.objects["steps_partnership"] = partnership
    world.objects["steps_unstarted"] = make_partnership(
        lead=world.affiliate, partners=[museum], title="Steps unstarted", visibility="private"
    )
    start_progress(partnership, lifecycle)
    progress.progress_move(
        actor=world.users["staff"],
        partnership=partnership,
        step=step_of(lifecycle, "follow_up_or_exit"),
    )
    world.objects["steps_step"] = step_of(lifecycle, "co_design")
    world.objects["steps_retired"] = step_of(lifecycle, "evaluation")
    world.objects["steps_retired"].retired_at = timezone.now()
    world.objects["steps_retired"].save(update_fields=["retired_at"])
    world.objects["steps_link"] = step_of(lifecycle, "preliminary_work").links.first()


def _partnership(name, key="steps_partnership"):
    return lambda w: reverse(name, args=[getattr(w, key).pk])


def _of(name, key):
    return lambda w: reverse(name, args=[getattr(w, key).pk])


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
EDIT_PRIVATE = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}
# Adapting a lifecycle: the organization's managers (and staff); it is no secret that it exists.
MANAGE = {"anonymous": SIGN_IN, "viewer": 403, "editor": 403, "outsider": 403}

CASES = {
    "lifecycle:steps_export": Case(
        lambda w: reverse("lifecycle:steps_export") + "?format=csv", everyone(200)
    ),
    "lifecycle:progress": Case(_partnership("lifecycle:progress"), SEE_PRIVATE, default=200),
    "lifecycle:progress_start": Case(
        _partnership("lifecycle:progress_start", "steps_unstarted"),
        EDIT_PRIVATE,
        default=302,
        method="post",
    ),
    "lifecycle:progress_move": Case(
        _partnership("lifecycle:progress_move"),
        EDIT_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"step": w.steps_step.pk},
    ),
    "lifecycle:next_action": Case(
        _partnership("lifecycle:next_action"),
        EDIT_PRIVATE,
        default=302,
        method="post",
        data=lambda w: {"action": "Send the report"},
    ),
    "lifecycle:moving_on": Case(_partnership("lifecycle:moving_on"), EDIT_PRIVATE, default=200),
    "lifecycle:organization": Case(_of("lifecycle:organization", "affiliate"), everyone(200)),
    "lifecycle:adopt": Case(
        _of("lifecycle:adopt", "affiliate"),
        MANAGE,
        default=302,
        method="post",
        data=lambda w: {"preset": "partnering_cycle"},
    ),
    "lifecycle:lifecycle_default": Case(
        _of("lifecycle:lifecycle_default", "steps_other_lifecycle"),
        MANAGE,
        default=302,
        method="post",
    ),
    "lifecycle:step_create": Case(
        _of("lifecycle:step_create", "steps_lifecycle"),
        MANAGE,
        default=302,
        method="post",
        data=lambda w: {f"lifecycle-{w.steps_lifecycle.pk}-name": "Annual report"},
    ),
    "lifecycle:step_edit": Case(_of("lifecycle:step_edit", "steps_step"), MANAGE, default=200),
    "lifecycle:step_move": Case(
        _of("lifecycle:step_move", "steps_step"),
        MANAGE,
        default=302,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    "lifecycle:step_retire": Case(
        _of("lifecycle:step_retire", "steps_step"), MANAGE, default=302, method="post"
    ),
    "lifecycle:step_restore": Case(
        _of("lifecycle:step_restore", "steps_retired"), MANAGE, default=302, method="post"
    ),
    "lifecycle:link_add": Case(
        _of("lifecycle:link_add", "steps_step"),
        MANAGE,
        default=302,
        method="post",
        data=lambda w: {"label": "Our MoU", "url": "https://example.org/mou"},
    ),
    "lifecycle:link_remove": Case(
        _of("lifecycle:link_remove", "steps_link"), MANAGE, default=302, method="post"
    ),
}
