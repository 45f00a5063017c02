"""Meetings in the one search (hub/core/search): title, place, agenda, notes and decisions, found
by those who may see the meeting. Participants are never indexed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.meetings.models import Meeting

MEETINGS = SearchKind(
    name="meeting",
    label=_("Meetings"),
    model=Meeting,
    visible=lambda user: Meeting.objects.visible_to(user),
    document=lambda meeting: meeting.search_document(),
    url=lambda pk: reverse("meetings:detail", args=[pk]),
    organization_ids=lambda meeting: [org.pk for org in meeting.organizations.all()],
    prepare=lambda qs: qs.prefetch_related("organizations", "decisions"),
    order=50,
)
