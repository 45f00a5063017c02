"""Fetching an alliance or an assessment with permission: the one way pages and the API get one
by its id (404 when unseen or not an alliance, PermissionDenied when seen but not changeable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.alliances.assessments.models import Assessment
from hub.directory.models import Organization


def get_alliance_for(user, pk: int) -> Organization:
    """An alliance or hub (the directory is public); any other organization is a 404."""
    alliance = Organization.objects.alliances().filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def get_assessment_for(user, pk: int, *, edit: bool = False) -> Assessment:
    assessment = (
        Assessment.objects.visible_to(user)
        .select_related("alliance", "assessor", "organization")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404
    if edit and not Assessment.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(
            _("Only its assessor and the alliance's managers change this assessment.")
        )
    return assessment
