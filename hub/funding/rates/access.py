"""Fetching a valuation rate with permission: the one way pages and the API get one by its id."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from hub.funding.rates.models import ValuationRate


def get_rate_for(user, pk: int, *, edit: bool = False) -> ValuationRate:
    """The rate `pk` (rates are public; Http404 when there is none); with `edit`,
    PermissionDenied when `user` does not edit for its organization."""
    rate = ValuationRate.objects.select_related("organization").filter(pk=pk).first()
    if rate is None:
        raise Http404
    if edit and not ValuationRate.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot change this rate."))
    return rate
