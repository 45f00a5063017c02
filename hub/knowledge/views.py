"""Pages of lessons and their endorsements: fetch with permission, validate, call a service,
respond. The clinic's pages are in clinic_views.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import history
from hub.core.forms import apply_service_errors, call_service, stale_message
from hub.knowledge import services
from hub.knowledge.access import get_endorsement_for, get_lesson_for
from hub.knowledge.filters import LessonFilter
from hub.knowledge.forms import EndorsementForm, LessonForm
from hub.knowledge.models import Lesson, writes_for
from hub.partnerships.models import visible_partnership


def shown_endorsements(user, lesson: Lesson):
    """The lesson's endorsements with their evidence partnership's title when `user` may see it
    (`shown_partnership_title`; None otherwise)."""
    return (
        lesson.endorsements.select_related("user")
        .annotate(
            shown_partnership_id=Case(
                When(visible_partnership(user, "partnership"), then=F("partnership_id"))
            ),
            shown_partnership_title=Case(
                When(visible_partnership(user, "partnership"), then=F("partnership__title")),
                output_field=CharField(),
            ),
        )
        .order_by("created_at", "pk")
    )


@require_GET
def lesson_list(request: HttpRequest) -> HttpResponse:
    filters = LessonFilter(request.GET)
    qs = (
        filters.apply(Lesson.objects.visible_to(request.user))
        .select_related("organization")
        .annotate(endorsement_count=Count("endorsements", distinct=True))
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/lesson_list.html",
        {
            "filters": filters,
            "page": page,
            "can_write": writes_for(request.user).exists(),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_lesson_for(request.user, pk)
    user = request.user
    endorsements = list(shown_endorsements(user, lesson))
    return render(
        request,
        "knowledge/lesson_detail.html",
        {
            "lesson": lesson,
            "original": lesson.translation_of
            if lesson.translation_of_id
            and Lesson.objects.visible_to(user).filter(pk=lesson.translation_of_id).exists()
            else None,
            "translations": Lesson.objects.visible_to(user)
            .filter(translation_of=lesson)
            .order_by("language"),
            "partnerships": lesson.partnerships.visible_to(user).order_by("title"),
            "organizations": lesson.organizations.order_by("name"),
            "tags": lesson.tags.all(),
            "endorsements": endorsements,
            "endorsed": user.is_authenticated and any(e.user_id == user.pk for e in endorsements),
            "endorse_form": EndorsementForm(user=user) if user.is_authenticated else None,
            "can_edit": Lesson.objects.editable_by(user).filter(pk=pk).exists(),
        },
    )


def _lesson_edit(request: HttpRequest, lesson: Lesson | None) -> HttpResponse:
    form = LessonForm(request.POST or None, user=request.user, instance=lesson)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if lesson is None:
            organization = arguments.pop("organization")
            saved = call_service(
                form,
                lambda: services.lesson_create(
                    actor=request.user, organization=organization, **arguments
                ),
                stale=stale_message(_("lesson")),
                permission_field="organization",
            )
        else:
            saved = call_service(
                form,
                lambda: services.lesson_update(
                    actor=request.user,
                    lesson=lesson,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(_("lesson")),
                permission_field="organization",
            )
        if saved is not None:
            messages.success(request, _("Lesson saved."))
            return redirect(saved)
    return render(request, "knowledge/lesson_form.html", {"form": form, "lesson": lesson})


@login_required
def lesson_create(request: HttpRequest) -> HttpResponse:
    if not writes_for(request.user).exists():
        raise PermissionDenied(_("Members of a movement organization write lessons."))
    return _lesson_edit(request, None)


@login_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _lesson_edit(request, get_lesson_for(request.user, pk, edit=True))


@require_GET
def lesson_history(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_lesson_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": lesson, "entries": history.read(request.user, lesson)},
    )


@login_required
@require_POST
def lesson_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_lesson_for(request.user, pk)
    form = EndorsementForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.endorsement_create(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your endorsement is shown with the lesson."))
            return redirect(lesson)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(lesson)


@login_required
@require_POST
def endorsement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for(request.user, pk, edit=True)
    lesson = endorsement.lesson
    services.endorsement_delete(actor=request.user, endorsement=endorsement)
    messages.success(request, _("Your endorsement is withdrawn."))
    return redirect(lesson)
