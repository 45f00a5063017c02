"""Fetching what publishing works on, with permission: a record to publish (404 when unseen,
PermissionDenied when seen but not publishable by the person), a connection, a publication."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.directory.access import get_organization_for
from hub.directory.models import Organization
from hub.knowledge.access import get_lesson_for
from hub.knowledge.models import Lesson
from hub.partnerships.access import get_partnership_for
from hub.partnerships.models import Partnership
from hub.wiki.publishing import services
from hub.wiki.publishing.models import Publication, WikiConnection


def get_record_for(user, kind: str, pk: int, *, publish: bool = False):
    record: Partnership | Lesson | Organization
    if kind == Publication.Kind.PARTNERSHIP:
        record = get_partnership_for(user, pk)
    elif kind == Publication.Kind.LESSON:
        record = get_lesson_for(user, pk)
    elif kind == Publication.Kind.ORGANIZATION:
        record = get_organization_for(user, pk)
    else:
        raise Http404
    if publish and not services.may_publish(user, record):
        raise PermissionDenied(_("You cannot publish this record."))
    return record


def get_connection_for(user, pk: int, *, manage: bool = False) -> WikiConnection:
    connection = (
        WikiConnection.objects.usable_by(user).select_related("organization").filter(pk=pk).first()
    )
    if connection is None:
        raise Http404
    if manage and not WikiConnection.objects.managed_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Only the managers of an organization manage its wiki accounts."))
    return connection


def get_publication_for(user, pk: int) -> Publication:
    publication = (
        Publication.objects.visible_to(user)
        .select_related("partnership", "organization", "lesson", "published_by")
        .filter(pk=pk)
        .first()
    )
    if publication is None:
        raise Http404
    return publication
