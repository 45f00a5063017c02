"""The steps pages: a partnership's steps (moving it, its next action, its moving on) and an
organization's lifecycles (adopting, adapting, choosing the default). Every write goes through
steps/progress.py or steps/services.py; every form works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.core import exporting
from hub.core.forms import call_service, parse_int
from hub.directory.access import get_organization_for
from hub.directory.models import Organization
from hub.lifecycle.steps import extensions, services
from hub.lifecycle.steps import progress as steps_progress
from hub.lifecycle.steps.access import get_lifecycle_for, get_step_for, get_step_link_for
from hub.lifecycle.steps.exporting import STEP_COLUMNS
from hub.lifecycle.steps.forms import (
    AdoptForm,
    LinkForm,
    MoveForm,
    MovingOnForm,
    NextActionForm,
    StepForm,
)
from hub.lifecycle.steps.models import Lifecycle, MovingOn, PartnershipProgress, StepVisit
from hub.lifecycle.steps.panel import progress_context, start_choices
from hub.partnerships.access import get_partnership_for
from hub.partnerships.models import Partnership


def _stale() -> str:
    return _("Someone else changed these steps since you opened the page. Check, then try again.")


def _steps_url(partnership: Partnership) -> str:
    return reverse("lifecycle:progress", args=[partnership.pk])


def _can_edit(user, partnership: Partnership) -> bool:
    return Partnership.objects.editable_by(user).filter(pk=partnership.pk).exists()


@require_GET
def steps_export(request: HttpRequest) -> HttpResponseBase:
    """Every step the partnerships the reader may see entered, as CSV, XLSX or ODS (?format=)."""
    visits = StepVisit.objects.filter(
        progress__partnership__in=Partnership.objects.visible_to(request.user).values("pk")
    ).order_by("progress__partnership__title", "progress__partnership_id", "entered_on", "pk")
    return exporting.export_response(
        visits, STEP_COLUMNS, request.GET.get("format", "csv"), "partnership-steps"
    )


def progress_page(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    context = progress_context(
        request.user, partnership, can_edit=_can_edit(request.user, partnership)
    )
    return render(request, "lifecycle/steps_progress.html", context)


def _progress_of(partnership: Partnership) -> PartnershipProgress | None:
    return (
        PartnershipProgress.objects.select_related("lifecycle")
        .filter(partnership=partnership)
        .first()
    )


def _refused(request, partnership, **forms) -> HttpResponse:
    context = progress_context(request.user, partnership, can_edit=True, **forms)
    return render(request, "lifecycle/steps_progress.html", context, status=400)


@login_required
@require_POST
def progress_start(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True)
    chosen = parse_int(request.POST.get("lifecycle"))
    lifecycle = next((lc for lc in start_choices(partnership) if lc.pk == chosen), None)
    try:
        steps_progress.progress_start(
            actor=request.user, partnership=partnership, lifecycle=lifecycle
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The partnership now follows its steps."))
    return redirect(_steps_url(partnership))


@login_required
@require_POST
def progress_move(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True)
    progress = _progress_of(partnership)
    if progress is None:
        return redirect(_steps_url(partnership))
    form = MoveForm(request.POST, progress=progress)
    version = parse_int(request.POST.get("version"))
    if form.is_valid() and call_service(
        form,
        lambda: steps_progress.progress_move(
            actor=request.user,
            partnership=partnership,
            expected_version=version,
            **form.cleaned_data,
        ),
        stale=_stale(),
    ):
        messages.success(
            request, _("Moved to “%(step)s”.") % {"step": form.cleaned_data["step"].label}
        )
        return redirect(_steps_url(partnership))
    return _refused(request, partnership, move_form=form)


@login_required
@require_POST
def next_action(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True)
    if _progress_of(partnership) is None:
        return redirect(_steps_url(partnership))
    form = NextActionForm(request.POST, members=steps_progress.partnership_members(partnership))
    version = parse_int(request.POST.get("version"))
    if form.is_valid() and call_service(
        form,
        lambda: steps_progress.next_action_set(
            actor=request.user,
            partnership=partnership,
            expected_version=version,
            **form.cleaned_data,
        ),
        stale=_stale(),
    ):
        messages.success(request, _("Next action saved."))
        return redirect(_steps_url(partnership))
    return _refused(request, partnership, next_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def moving_on(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, edit=True)
    progress = _progress_of(partnership)
    if progress is None:
        return redirect(_steps_url(partnership))
    existing = MovingOn.objects.filter(progress=progress).first()
    form = MovingOnForm(request.POST or None, instance=existing)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and call_service(
            form,
            lambda: steps_progress.moving_on_save(
                actor=request.user,
                partnership=partnership,
                expected_version=parse_int(request.POST.get("version")),
                **form.cleaned_data,
            ),
            stale=_stale(),
        ):
            messages.success(request, _("Moving on saved."))
            return redirect(_steps_url(partnership))
    context = {"partnership": partnership, "progress": progress, "form": form}
    return render(request, "lifecycle/steps_moving_on.html", context, status=status)


# --------------------------------------------------------------------------- lifecycles


def organization_lifecycles(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, pk)
    return _lifecycles_page(request, organization)


def _lifecycles_page(
    request: HttpRequest, organization: Organization, *, status: int = 200, **forms
) -> HttpResponse:
    lifecycles = list(
        Lifecycle.objects.filter(organization=organization).prefetch_related("steps__links")
    )
    can_manage = Organization.objects.managed_by(request.user).filter(pk=organization.pk).exists()
    steps = [step for lifecycle in lifecycles for step in lifecycle.steps.all()]
    items = extensions.items_for(request.user, steps)
    for step in steps:
        step.items = items[step.pk]  # type: ignore[attr-defined]
    adopted = {lc.preset for lc in lifecycles}
    failed = forms.get("step_form")
    for lifecycle in lifecycles:
        # One "add a step" form per lifecycle, each with its own prefix (and so its own ids).
        lifecycle.new_step_form = (  # type: ignore[attr-defined]
            failed
            if failed is not None and failed.prefix == _step_prefix(lifecycle.pk)
            else StepForm(prefix=_step_prefix(lifecycle.pk))
        )
    context = {
        "organization": organization,
        "lifecycles": lifecycles,
        "can_manage": can_manage,
        "adopt_form": forms.get("adopt_form") or AdoptForm(adopted=adopted),
    }
    return render(request, "lifecycle/steps_lifecycles.html", context, status=status)


def _step_prefix(lifecycle_pk: int) -> str:
    return f"lifecycle-{lifecycle_pk}"


def _lifecycles_url(organization_id: int) -> str:
    return reverse("lifecycle:organization", args=[organization_id])


@login_required
@require_POST
def lifecycle_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, pk)
    if not Organization.objects.managed_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    adopted = set(
        Lifecycle.objects.filter(organization=organization).values_list("preset", flat=True)
    )
    form = AdoptForm(request.POST, adopted=adopted)
    if form.is_valid() and call_service(
        form,
        lambda: services.lifecycle_adopt(
            actor=request.user, organization=organization, **form.cleaned_data
        ),
        stale=_stale(),
    ):
        messages.success(request, _("Lifecycle adopted; adapt it below."))
        return redirect(_lifecycles_url(pk))
    return _lifecycles_page(request, organization, status=400, adopt_form=form)


@login_required
@require_POST
def lifecycle_default(request: HttpRequest, pk: int) -> HttpResponse:
    lifecycle = get_lifecycle_for(request.user, pk, edit=True)
    services.lifecycle_set_default(actor=request.user, lifecycle=lifecycle)
    messages.success(
        request, _("New partnerships will start on “%(name)s”.") % {"name": lifecycle.label}
    )
    return redirect(_lifecycles_url(lifecycle.organization_id))


@login_required
@require_POST
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    lifecycle = get_lifecycle_for(request.user, pk, edit=True)
    form = StepForm(request.POST, prefix=_step_prefix(lifecycle.pk))
    if form.is_valid() and call_service(
        form,
        lambda: services.step_create(actor=request.user, lifecycle=lifecycle, **form.cleaned_data),
        stale=_stale(),
    ):
        messages.success(request, _("Step added."))
        return redirect(_lifecycles_url(lifecycle.organization_id))
    return _lifecycles_page(request, lifecycle.organization, status=400, step_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_step_for(request.user, pk, edit=True)
    initial = {
        "name": step.label,
        "milestone": step.milestone,
        "actions": step.shown_actions,
        "obstacles": step.shown_obstacles,
    }
    form = StepForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and call_service(
            form,
            lambda: services.step_rename(actor=request.user, step=step, **form.cleaned_data),
            stale=_stale(),
        ):
            messages.success(request, _("Step saved."))
            return redirect(_lifecycles_url(step.lifecycle.organization_id))
    context = {"step": step, "form": form, "link_form": LinkForm(), "links": step.links.all()}
    return render(request, "lifecycle/steps_step_form.html", context, status=status)


def _step_write(request: HttpRequest, pk: int, write) -> HttpResponse:
    """A button's write on a step (move, retire, restore): back to the lifecycle page, with what
    the service refused as a message."""
    step = get_step_for(request.user, pk, edit=True)
    try:
        write(step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_lifecycles_url(step.lifecycle.organization_id) + f"#step-{step.pk}")


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    up = request.POST.get("direction") != "down"
    return _step_write(
        request, pk, lambda step: services.step_move(actor=request.user, step=step, up=up)
    )


@login_required
@require_POST
def step_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_write(
        request, pk, lambda step: services.step_retire(actor=request.user, step=step)
    )


@login_required
@require_POST
def step_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_write(
        request, pk, lambda step: services.step_restore(actor=request.user, step=step)
    )


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_step_for(request.user, pk, edit=True)
    link_form = LinkForm(request.POST)
    if link_form.is_valid() and call_service(
        link_form,
        lambda: services.step_link_add(actor=request.user, step=step, **link_form.cleaned_data),
        stale=_stale(),
    ):
        messages.success(request, _("Tool added."))
        return redirect(reverse("lifecycle:step_edit", args=[step.pk]))
    initial = {"name": step.label, "milestone": step.milestone}
    context = {
        "step": step,
        "form": StepForm(initial=initial),
        "link_form": link_form,
        "links": step.links.all(),
    }
    return render(request, "lifecycle/steps_step_form.html", context, status=400)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_step_link_for(request.user, pk, edit=True)
    step_pk = link.step_id
    services.step_link_remove(actor=request.user, link=link)
    messages.success(request, _("Tool removed."))
    return redirect(reverse("lifecycle:step_edit", args=[step_pk]))
