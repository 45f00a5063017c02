"""Fetching a resource with permission: the one way pages and the API get one by its id (404 when
unseen, PermissionDenied when seen but not changeable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.knowledge.resources.models import Resource


def get_resource_for(user, pk: int, *, edit: bool = False) -> Resource:
    resource = (
        Resource.objects.visible_to(user)
        .select_related("organization", "author")
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise Http404
    if edit and not Resource.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this resource."))
    return resource
