"""Fetching a contribution with permission: the one way pages and the API get one by its id."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.funding.contributions.models import InKindContribution


def get_contribution_for(user, pk: int, *, edit: bool = False) -> InKindContribution:
    """The contribution `pk` if `user` may see it (Http404 otherwise: it is never told that it
    exists); with `edit`, PermissionDenied when they may see it but not change it."""
    contribution = (
        InKindContribution.objects.visible_to(user)
        .with_shown_partnership(user)
        .select_related("receiving_organization", "donor_organization", "valuation_rate")
        .filter(pk=pk)
        .first()
    )
    if contribution is None:
        raise Http404
    if edit and not InKindContribution.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this contribution."))
    return contribution
