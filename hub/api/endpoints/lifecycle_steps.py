"""Steps: a partnership's progress through its lifecycle (read, start, move, next action) and the
organizations' lifecycles with their steps (read).

The progress is read by whoever may see the partnership and written by its editors, through
hub.lifecycle.steps.progress with the progress's ETag; a next action's owner is named only to
signed-in callers. Lifecycles are methods, readable by everyone.
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from hub.accounts.models import User
from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    WRITE_ERRORS,
    IfMatch,
    RecordId,
    etag_of,
    expected_version,
    page_url,
    path_id,
    precondition,
)
from hub.api.endpoints.directory import org_ref
from hub.api.problems import ApiError, Problem, django_errors
from hub.api.schemas import Id, IsoDate, OrganizationRef, Out, Strict, optional, text
from hub.directory.access import get_organization_for
from hub.lifecycle.steps import progress as steps_progress
from hub.lifecycle.steps.access import get_lifecycle_for
from hub.lifecycle.steps.models import Lifecycle, MovingOn, PartnershipProgress, Step
from hub.partnerships.access import get_partnership_for

router = Router(tags=["steps"], auth=READ_AUTH)

Milestone = Literal["", "agreement", "ending"]


class StepLinkOut(Out):
    label: str
    url: str


class StepOut(Out):
    id: int
    key: str = Field(description="The preset step it comes from; empty for a step added.")
    name: str
    position: int
    milestone: Milestone
    actions: str
    obstacles: str
    retired: bool
    tools: list[StepLinkOut]


class LifecycleOut(Out):
    id: int
    organization: OrganizationRef
    preset: str
    name: str
    default: bool
    steps: list[StepOut]


class StepRef(Out):
    id: int
    name: str
    position: int
    milestone: Milestone
    retired: bool


class VisitOut(Out):
    step: StepRef
    entered_on: datetime.date
    left_on: datetime.date | None
    note: str


class PersonRef(Out):
    id: int
    name: str


class MovingOnOut(Out):
    what_goes_public: str
    celebration: str
    handover: str
    lasting_outcomes: str
    completed_on: datetime.date | None


class ProgressOut(Out):
    partnership: int
    started: bool = Field(description="Whether the partnership follows a lifecycle yet.")
    lifecycle: int | None
    current_step: StepRef | None
    entered_on: datetime.date | None = Field(description="When the current step was entered.")
    visits: list[VisitOut]
    next_action: str
    next_action_owner: PersonRef | None = Field(description="Shown to signed-in callers only.")
    next_action_due: datetime.date | None
    overdue: bool
    moving_on: MovingOnOut | None = Field(description="The ending, once recorded.")
    version: int | None
    etag: str | None
    url: str


class ProgressStart(Schema):
    model_config = Strict

    lifecycle: Id | None = optional(
        description="A participating organization's lifecycle; default: the lead's."
    )
    on: IsoDate | None = optional(description="When it entered the first step; default today.")


class ProgressMove(Schema):
    model_config = Strict

    step: Id
    on: IsoDate | None = optional(description="Default: today.")
    note: Annotated[str, text(5000)] = optional()


class MovingOnIn(Schema):
    model_config = Strict

    what_goes_public: Annotated[str, text(20000)] = ""
    celebration: Annotated[str, text(20000)] = ""
    handover: Annotated[str, text(20000)] = ""
    lasting_outcomes: Annotated[str, text(20000)] = ""
    completed_on: IsoDate | None = None
    end_partnership: bool = Field(
        False, description="With completed_on: also end the partnership as completed that day."
    )


class NextActionUpdate(Schema):
    model_config = Strict

    next_action: Annotated[str, text(300)] = optional()
    next_action_owner: Id | None = optional(description="A user id; null clears it.")
    next_action_due: IsoDate | None = optional()


def step_ref(step: Step) -> dict:
    return {
        "id": step.pk,
        "name": str(step.label),
        "position": step.position,
        "milestone": step.milestone,
        "retired": step.is_retired,
    }


def lifecycle_out(lifecycle: Lifecycle) -> dict:
    return {
        "id": lifecycle.pk,
        "organization": org_ref(lifecycle.organization),
        "preset": lifecycle.preset,
        "name": str(lifecycle.label),
        "default": lifecycle.is_default,
        "steps": [
            {
                **step_ref(step),
                "key": step.key,
                "actions": str(step.shown_actions),
                "obstacles": str(step.shown_obstacles),
                "tools": [{"label": link.label, "url": link.url} for link in step.links.all()],
            }
            for step in lifecycle.steps.all()
        ],
    }


def progress_out(request: HttpRequest, partnership_id: int) -> dict:
    progress = (
        PartnershipProgress.objects.select_related("next_action_owner")
        .filter(partnership_id=partnership_id)
        .first()
    )
    answer: dict[str, Any] = {
        "partnership": partnership_id,
        "started": progress is not None,
        "lifecycle": None,
        "current_step": None,
        "entered_on": None,
        "visits": [],
        "next_action": "",
        "next_action_owner": None,
        "next_action_due": None,
        "overdue": False,
        "moving_on": None,
        "version": None,
        "etag": None,
        "url": page_url(request, "lifecycle:progress", partnership_id),
    }
    if progress is None:
        return answer
    visits = list(progress.visits.select_related("step__lifecycle"))
    current = next((v for v in visits if v.left_on is None), None)
    owner = progress.next_action_owner
    due = progress.next_action_due
    moving_on = MovingOn.objects.filter(progress=progress).first()
    answer.update(
        moving_on={name: getattr(moving_on, name) for name in MOVING_ON_OUT} if moving_on else None,
        lifecycle=progress.lifecycle_id,
        current_step=step_ref(current.step) if current else None,
        entered_on=current.entered_on if current else None,
        visits=[
            {
                "step": step_ref(v.step),
                "entered_on": v.entered_on,
                "left_on": v.left_on,
                "note": v.note,
            }
            for v in visits
        ],
        next_action=progress.next_action,
        next_action_owner={"id": owner.pk, "name": steps_progress.person_name(owner)}
        if owner is not None and caller(request).is_authenticated
        else None,
        next_action_due=due,
        overdue=bool(progress.next_action and due and due < timezone.localdate()),
        version=progress.version,
        etag=etag_of(progress),
    )
    return answer


def _answer(request, response, partnership_id: int, status: int = 200):
    data = progress_out(request, partnership_id)
    if data["etag"]:
        response["ETag"] = data["etag"]
    return Status(status, data)


def _progress_for(request: HttpRequest, pk: int) -> PartnershipProgress:
    partnership = get_partnership_for(
        caller(request), pk, edit=True, refusal=_("You cannot edit this partnership.")
    )
    progress = PartnershipProgress.objects.filter(partnership=partnership).first()
    if progress is None:
        raise Http404
    return progress


def _may_edit_progress(request: HttpRequest) -> None:
    """The writes' guard, before the body is read: 404 unseen (or not started), 403 not an
    editor, then the If-Match precondition."""
    precondition(request, _progress_for(request, path_id(request)))


def _may_start(request: HttpRequest) -> None:
    get_partnership_for(
        caller(request), path_id(request), edit=True, refusal=_("You cannot edit this partnership.")
    )


@router.get(
    "/partnerships/{id}/progress",
    response={200: ProgressOut, 404: Problem},
    url_name="progress_detail",
    summary="Read a partnership's steps",
)
def progress_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    partnership = get_partnership_for(caller(request), id)
    return _answer(request, response, partnership.pk)


@router.post(
    "/partnerships/{id}/progress",
    auth=write_auth(_may_start),
    response={201: ProgressOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="progress_start",
    summary="Put a partnership on a lifecycle",
)
def progress_start(
    request: HttpRequest, response: HttpResponse, id: RecordId, payload: ProgressStart
):
    partnership = get_partnership_for(caller(request), id, edit=True)
    lifecycle = None
    if payload.lifecycle is not None:
        lifecycle = Lifecycle.objects.filter(pk=payload.lifecycle).first()
        if lifecycle is None:
            message = _("There is no lifecycle with this id.")
            raise ApiError(422, message, [{"path": "lifecycle", "message": message}])
    steps_progress.progress_start(
        actor=caller(request), partnership=partnership, lifecycle=lifecycle, on=payload.on
    )
    return _answer(request, response, partnership.pk, 201)


@router.post(
    "/partnerships/{id}/progress/moves",
    auth=write_auth(_may_edit_progress),
    response={200: ProgressOut, **WRITE_ERRORS},
    url_name="progress_move",
    summary="Move a partnership to another step",
)
def progress_move(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: ProgressMove,
    if_match: str | None = IfMatch,
):
    progress = _progress_for(request, id)
    expected = expected_version(progress, if_match)
    step = Step.objects.filter(pk=payload.step, lifecycle=progress.lifecycle_id).first()
    if step is None:
        message = _("Choose a step of this partnership's lifecycle.")
        raise ApiError(422, message, [{"path": "step", "message": message}])
    with transaction.atomic():
        steps_progress.progress_move(
            actor=caller(request),
            partnership=progress.partnership,
            step=step,
            on=payload.on,
            note=payload.note or "",
            expected_version=expected,
        )
    return _answer(request, response, id)


@router.patch(
    "/partnerships/{id}/progress",
    auth=write_auth(_may_edit_progress),
    response={200: ProgressOut, **WRITE_ERRORS},
    url_name="next_action_update",
    summary="Set a partnership's next action",
)
def next_action_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: NextActionUpdate,
    if_match: str | None = IfMatch,
):
    progress = _progress_for(request, id)
    expected = expected_version(progress, if_match)
    data = payload.model_dump(exclude_unset=True)
    owner = progress.next_action_owner
    if "next_action_owner" in data:
        owner = None
        if data["next_action_owner"] is not None:
            owner = User.objects.filter(pk=data["next_action_owner"]).first()
            if owner is None:
                message = _("The owner must be a member of an organization in this partnership.")
                raise ApiError(422, message, [{"path": "next_action_owner", "message": message}])
    try:
        with transaction.atomic():
            steps_progress.next_action_set(
                actor=caller(request),
                partnership=progress.partnership,
                action=data.get("next_action", progress.next_action),
                owner=owner,
                due=data.get("next_action_due", progress.next_action_due),
                expected_version=expected,
            )
    except ValidationError as exc:
        # The service names its arguments; the payload names the fields.
        errors = [
            {**error, "path": NEXT_ACTION_PATHS.get(error["path"], error["path"])}
            for error in django_errors(exc)
        ]
        raise ApiError(422, _("Some fields are invalid; see errors."), errors) from exc
    return _answer(request, response, id)


MOVING_ON_OUT = (*steps_progress.MOVING_ON_FIELDS, "completed_on")


@router.put(
    "/partnerships/{id}/progress/moving-on",
    auth=write_auth(_may_edit_progress),
    response={200: ProgressOut, **WRITE_ERRORS},
    url_name="moving_on_save",
    summary="Record a partnership's moving on",
)
def moving_on_save(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: MovingOnIn,
    if_match: str | None = IfMatch,
):
    """In (or after) the lifecycle's moving-on step only; every field is replaced."""
    progress = _progress_for(request, id)
    expected = expected_version(progress, if_match)
    with transaction.atomic():
        steps_progress.moving_on_save(
            actor=caller(request),
            partnership=progress.partnership,
            expected_version=expected,
            **payload.model_dump(),
        )
    return _answer(request, response, id)


NEXT_ACTION_PATHS = {
    "next_action": "next_action",
    "action": "next_action",
    "owner": "next_action_owner",
    "due": "next_action_due",
}


def _lifecycles():
    return Lifecycle.objects.select_related("organization").prefetch_related("steps__links")


@router.get(
    "/organizations/{id}/lifecycles",
    response={200: list[LifecycleOut], 404: Problem},
    url_name="lifecycle_list",
    summary="List an organization's lifecycles",
)
def lifecycle_list(request: HttpRequest, id: RecordId):
    organization = get_organization_for(caller(request), id)
    return [lifecycle_out(lc) for lc in _lifecycles().filter(organization=organization)]


@router.get(
    "/lifecycles/{id}",
    response={200: LifecycleOut, 404: Problem},
    url_name="lifecycle_detail",
    summary="Read a lifecycle and its steps",
)
def lifecycle_detail(request: HttpRequest, id: RecordId):
    get_lifecycle_for(caller(request), id)
    return lifecycle_out(_lifecycles().get(pk=id))
