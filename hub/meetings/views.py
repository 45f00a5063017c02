"""Pages of meetings, their participants, decisions and action items: fetch with permission,
validate, call a service, respond. "My next steps" and the calendar feed are in mine_views.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import history
from hub.core.forms import call_service, stale_message
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.meetings import services
from hub.meetings.access import (
    get_action_item_for,
    get_decision_for,
    get_meeting_for,
    get_participant_for,
)
from hub.meetings.forms import (
    ActionItemForm,
    DecisionForm,
    MeetingFilter,
    MeetingForm,
    ParticipantForm,
    StatusForm,
)
from hub.meetings.models import ActionItem, Meeting, participants_named_to, writes_for
from hub.partnerships.models import Partnership


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    visible = Meeting.objects.visible_to(request.user)
    organizers = (
        Organization.objects.filter(meetings__in=visible.values("pk")).distinct().order_by("name")
    )
    filters = MeetingFilter(request.GET, organizers=organizers)
    qs = filters.apply(visible).prefetch_related("organizations")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {"filters": filters, "page": page, "can_write": writes_for(request.user).exists()},
    )


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict:
    user = request.user
    can_edit = Meeting.objects.editable_by(user).filter(pk=meeting.pk).exists()
    participants = list(
        meeting.participants.select_related("user", "person", "organization").order_by("pk")
    )
    shown = participants_named_to(user, participants, can_edit=can_edit)
    changeable = set(
        ActionItem.objects.status_changeable_by(user)
        .filter(meeting=meeting)
        .values_list("pk", flat=True)
    )
    items = list(
        meeting.action_items.select_related(
            "owner", "owner_organization", "decision", "alliance", "partnership"
        )
    )
    seen_partnerships = set(
        Partnership.objects.visible_to(user)
        .filter(pk__in=[i.partnership_id for i in items if i.partnership_id])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.can_change_status = item.pk in changeable  # type: ignore[attr-defined]
        item.shown_partnership = (  # type: ignore[attr-defined]
            item.partnership if item.partnership_id in seen_partnerships else None
        )
    return {
        "meeting": meeting,
        "can_edit": can_edit,
        "organizations": meeting.organizations.order_by("name"),
        "participants": shown,
        "private_count": len(participants) - len(shown),
        "decisions": meeting.decisions.all(),
        "items": items,
        "partnerships": meeting.partnerships.visible_to(user).order_by("title"),
        "alliances": meeting.alliances.order_by("name"),
        "status_choices": ActionItem.Status.choices,
    }


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    context = _detail_context(request, meeting)
    if context["can_edit"]:
        context["participant_form"] = ParticipantForm(user=request.user, meeting=meeting)
        context["decision_form"] = DecisionForm()
    return render(request, "meetings/meeting_detail.html", context)


def _meeting_edit(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user, instance=meeting)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if meeting is None:
            saved = call_service(
                form,
                lambda: services.meeting_create(actor=request.user, **arguments),
                stale=stale_message(_("meeting")),
                permission_field="organizations",
            )
        else:
            saved = call_service(
                form,
                lambda: services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(_("meeting")),
                permission_field="organizations",
            )
        if saved is not None:
            messages.success(request, _("Meeting saved."))
            return redirect(saved)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not writes_for(request.user).exists():
        raise PermissionDenied(_("Members of a movement organization record meetings."))
    return _meeting_edit(request, None)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_edit(request, get_meeting_for(request.user, pk, edit=True))


@require_GET
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    item_entries = HistoryEntry.objects.filter(
        content_type__app_label="meetings",
        content_type__model="actionitem",
        object_id__in=meeting.action_items.values("pk"),
    ).values_list("pk", flat=True)
    return render(
        request,
        "core/history.html",
        {"object": meeting, "entries": history.read(request.user, meeting, *item_entries)},
    )


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, edit=True)
    form = ParticipantForm(request.POST, user=request.user, meeting=meeting)
    if form.is_valid():
        added = call_service(
            form,
            lambda: services.participant_add(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
            stale=stale_message(_("meeting")),
        )
        if added is not None:
            messages.success(request, _("Participant added."))
            return redirect(meeting)
    context = _detail_context(request, meeting)
    context.update(participant_form=form, decision_form=DecisionForm())
    return render(request, "meetings/meeting_detail.html", context, status=400)


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request.user, pk)
    meeting = participant.meeting
    services.participant_remove(actor=request.user, participant=participant)
    messages.success(request, _("Participant removed."))
    return redirect(meeting)


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk, edit=True)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.decision_add(actor=request.user, meeting=meeting, **form.cleaned_data),
            stale=stale_message(_("meeting")),
        )
        if saved is not None:
            messages.success(request, _("Decision recorded."))
            return redirect(meeting)
    return render(request, "meetings/decision_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def decision_remove(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for(request.user, pk, edit=True)
    meeting = decision.meeting
    services.decision_remove(actor=request.user, decision=decision)
    messages.success(request, _("Decision removed."))
    return redirect(meeting)


def _item_edit(request: HttpRequest, meeting: Meeting, item: ActionItem | None) -> HttpResponse:
    form = ActionItemForm(request.POST or None, user=request.user, meeting=meeting, instance=item)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if item is None:
            saved = call_service(
                form,
                lambda: services.action_item_create(
                    actor=request.user, meeting=meeting, **arguments
                ),
                stale=stale_message(_("action item")),
            )
        else:
            saved = call_service(
                form,
                lambda: services.action_item_update(
                    actor=request.user,
                    item=item,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(_("action item")),
            )
        if saved is not None:
            messages.success(request, _("Action item saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/action_item_form.html",
        {"form": form, "meeting": meeting, "item": item},
    )


@login_required
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_edit(request, get_meeting_for(request.user, pk, edit=True), None)


@login_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_action_item_for(request.user, pk, edit=True)
    return _item_edit(request, item.meeting, item)


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_action_item_for(request.user, pk, status=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            actor=request.user, item=item, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose one of the listed statuses."))
    back = request.POST.get("next")
    if back == "next-steps":
        return redirect("meetings:next_steps")
    return redirect(item.get_absolute_url())
