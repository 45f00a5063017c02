"""Fetching lifecycles and steps with permission, for the pages and the API alike.

A lifecycle is a method, not a record of anyone's work: everyone may read it, only an unknown id
is 404; `edit` asks `Lifecycle.objects.managed_by` (PermissionDenied otherwise). A partnership's
progress is fetched through the partnership (hub.partnerships.access.get_partnership_for).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.lifecycle.steps.models import Lifecycle, Step, StepLink


def get_lifecycle_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Lifecycle:
    lifecycle = Lifecycle.objects.select_related("organization").filter(pk=pk).first()
    if lifecycle is None:
        raise Http404
    if edit and not Lifecycle.objects.managed_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    return lifecycle


def get_step_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Step:
    step = Step.objects.select_related("lifecycle__organization").filter(pk=pk).first()
    if step is None:
        raise Http404
    if edit and not Lifecycle.objects.managed_by(user).filter(pk=step.lifecycle_id).exists():
        raise PermissionDenied(refusal)
    return step


def get_step_link_for(user, pk: int, *, edit: bool = False) -> StepLink:
    link = StepLink.objects.select_related("step__lifecycle__organization").filter(pk=pk).first()
    if link is None:
        raise Http404
    if edit and not Lifecycle.objects.managed_by(user).filter(pk=link.step.lifecycle_id).exists():
        raise PermissionDenied
    return link
