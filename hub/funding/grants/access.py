"""Fetching a grant or a reporting deadline with permission: the one way pages and the API get
one by its id."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.funding.grants.models import Grant, ReportingDeadline


def get_grant_for(user, pk: int, *, edit: bool = False) -> Grant:
    """The grant `pk` if `user` may see it (Http404 otherwise); with `edit`, PermissionDenied
    when they may see it but not change it."""
    grant = (
        Grant.objects.visible_to(user)
        .with_shown_partnership(user)
        .select_related("funder", "recipient")
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404
    if edit and not Grant.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this grant."))
    return grant


def get_deadline_for(user, pk: int, *, edit: bool = False) -> ReportingDeadline:
    """The deadline `pk` if `user` may see its grant (Http404 otherwise); with `edit`,
    PermissionDenied when they may not change the grant."""
    deadline = ReportingDeadline.objects.select_related("grant").filter(pk=pk).first()
    if deadline is None or not Grant.objects.visible_to(user).filter(pk=deadline.grant_id).exists():
        raise Http404
    if edit and not Grant.objects.editable_by(user).filter(pk=deadline.grant_id).exists():
        raise PermissionDenied(_("You cannot edit this grant."))
    return deadline
