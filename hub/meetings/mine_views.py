"""A person's own pages: "my next steps", the calendar feed's address, and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.accounts.models import User
from hub.meetings.feed import calendar_for
from hub.meetings.models import ActionItem, CalendarFeed
from hub.meetings.models.feeds import hash_token

TABS = ("open", "done")
WHOSE = ("assigned", "created", "all")


@login_required
@require_GET
def next_steps(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("show")
    tab = tab if tab in TABS else "open"
    whose = request.GET.get("whose")
    whose = whose if whose in WHOSE else "all"
    mine = {"assigned": Q(owner=user), "created": Q(created_by=user)}.get(
        whose, Q(owner=user) | Q(created_by=user)
    )
    qs = (
        ActionItem.objects.visible_to(user)
        .filter(mine)
        .select_related("meeting", "owner", "owner_organization")
    )
    qs = qs.open() if tab == "open" else qs.done()
    today = timezone.localdate()
    items = list(qs.order_by("due_on", "pk")[:500])
    changeable = set(
        ActionItem.objects.status_changeable_by(user)
        .filter(pk__in=[i.pk for i in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.overdue = item.is_overdue(today)  # type: ignore[attr-defined]
        item.due_soon = item.is_due_soon(today)  # type: ignore[attr-defined]
        item.can_change_status = item.pk in changeable  # type: ignore[attr-defined]
    return render(
        request,
        "meetings/next_steps.html",
        {
            "items": items,
            "tab": tab,
            "whose": whose,
            "status_choices": ActionItem.Status.choices,
        },
    )


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("meetings:feed", args=[token]))


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """See whether one has a calendar address; make a new one (the old stops working) or revoke
    it. Only a hash is kept, so the address is shown once, when it is made."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (login_required)
    new_address = None
    if request.method == "POST":
        action = request.POST.get("action")
        with transaction.atomic():
            CalendarFeed.objects.filter(user=user).delete()
            if action == "new":
                token = CalendarFeed.new_token()
                CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
                new_address = _feed_url(request, token)
            elif action == "revoke":
                messages.success(request, _("Your calendar address is revoked."))
                return redirect("meetings:feed_settings")
            else:
                messages.error(request, _("Choose to make a new address or to revoke it."))
                return redirect("meetings:feed_settings")
    return render(
        request,
        "meetings/feed_settings.html",
        {
            "feed": CalendarFeed.objects.filter(user=user).first(),
            "new_address": new_address,
        },
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of the person whose secret address this is: 404 for any other."""
    found = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=timezone.now())
    response = HttpResponse(calendar_for(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partnership-hub.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
