"""Fetching a partnership with permission, for the pages and the API alike (see
hub/directory/access.py for the pattern: 404 when unseen, PermissionDenied when seen but not
editable, `refusal` as the PermissionDenied's message for the API's problem body)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.partnerships.models import Partnership


def get_partnership_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Partnership:
    """The partnership (with its lead) if `user` may see it; `edit` asks
    `Partnership.objects.editable_by` as well."""
    partnership = Partnership.objects.visible_to(user).select_related("lead").filter(pk=pk).first()
    if partnership is None:
        raise Http404
    if edit and not Partnership.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    return partnership
