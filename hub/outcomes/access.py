"""Fetching a figure or a definition with permission: 404 when unseen, PermissionDenied when
seen but not changeable."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.outcomes.models import Figure, MetricDefinition


def get_figure_for(user, pk: int, *, edit: bool = False) -> Figure:
    figure = (
        Figure.objects.visible_to(user)
        .select_related("definition", "partnership")
        .filter(pk=pk)
        .first()
    )
    if figure is None:
        raise Http404
    if edit and not Figure.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit the outcomes of this partnership."))
    return figure


def get_definition(key: str, version: int) -> MetricDefinition:
    definition = MetricDefinition.objects.filter(key=key, version=version).first()
    if definition is None:
        raise Http404
    return definition
