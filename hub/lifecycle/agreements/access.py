"""Fetching an agreement with permission, for the pages, the API and the exports alike: 404 when
its partnership is not seen (or it belongs to another partnership), PermissionDenied when seen but
not editable. Whether its details show is `details_visible`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.lifecycle.agreements.models import Agreement, AgreementFile
from hub.partnerships.models import Partnership


def get_agreement_for(
    user, partnership_id: int, pk: int, *, edit: bool = False, refusal: str = ""
) -> Agreement:
    agreement = (
        Agreement.objects.visible_to(user)
        .select_related("partnership", "partnership__lead", "grant")
        .filter(pk=pk, partnership_id=partnership_id)
        .first()
    )
    if agreement is None:
        raise Http404
    if edit and not Agreement.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    return agreement


def details_visible(user, agreement: Agreement) -> bool:
    return Agreement.objects.details_visible_to(user).filter(pk=agreement.pk).exists()


def may_edit(user, agreement_or_partnership_id: Agreement | int) -> bool:
    """Whether `user` changes the agreements of this partnership (or of this agreement's)."""
    given = agreement_or_partnership_id
    pid = given.partnership_id if isinstance(given, Agreement) else given
    return Partnership.objects.editable_by(user).filter(pk=pid).exists()


def get_file_for(user, partnership_id: int, pk: int, number: int) -> AgreementFile:
    """A signed file, to those who see the agreement's details; 404 to everyone else (the file's
    address tells nothing)."""
    found = (
        AgreementFile.objects.filter(
            agreement__in=Agreement.objects.details_visible_to(user).values("pk"),
            agreement_id=pk,
            agreement__partnership_id=partnership_id,
            number=number,
        )
        .select_related("agreement")
        .first()
    )
    if found is None:
        raise Http404
    return found
