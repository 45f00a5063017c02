"""A person's data: export (GET) and erasure (DELETE) of a contact person's or a user's personal
data, through the same services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from hub.accounts import privacy as account_privacy
from hub.accounts.access import get_user_for
from hub.accounts.models import User
from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import RecordId, path_id, prepared
from hub.api.problems import Problem
from hub.directory import services
from hub.directory.access import get_person_for
from hub.directory.models import Person

router = Router(tags=["privacy"], auth=READ_AUTH)


class ExportSubject(Schema):
    type: str
    id: int


class ExportHistoryItem(Schema):
    at: str
    action: str
    actor: str | None
    changes: dict[str, list[Any]]


class ExportRecord(Schema):
    record: str
    when: str | None
    fields: dict[str, Any]
    history: list[ExportHistoryItem] | None = None


class ExportMention(Schema):
    record: str
    field: str
    value: Any


class PersonalDataExport(Schema):
    subject: ExportSubject
    exported_at: str
    records: list[ExportRecord]
    mentions: list[ExportMention] | None = None


ERASE_ERRORS = {403: Problem, 404: Problem, 422: Problem}


def _person(request: HttpRequest, pk: int) -> Person:
    return get_person_for(caller(request), pk)


def _may_erase_person(request: HttpRequest) -> None:
    pk = _person(request, path_id(request)).pk
    if not Person.objects.managed_by(caller(request)).filter(pk=pk).exists():
        raise PermissionDenied(
            _("Only managers of the organization that keeps this contact erase it.")
        )


def _user(request: HttpRequest, pk: int) -> User:
    """As on the pages: a user's data are the user's own and the administrators' (404 for others)."""
    return get_user_for(caller(request), pk)


def _may_erase_user(request: HttpRequest) -> None:
    user = _user(request, path_id(request))
    if not account_privacy.can_erase_user(caller(request), user):
        raise PermissionDenied(_("Only administrators erase an account."))


@router.get(
    "/people/{id}/personal-data",
    response={200: PersonalDataExport, 403: Problem, 404: Problem},
    url_name="person_export",
    summary="Export a contact person's data, history included",
)
def person_export(request: HttpRequest, id: RecordId):
    """For managers of the organization that keeps the contact, and staff (who also get every other
    record naming them, under `mentions`). The same export as the contact's page offers."""
    export = services.person_export(actor=caller(request), person=_person(request, id))
    return prepared(request, export)


@router.delete(
    "/people/{id}/personal-data",
    auth=write_auth(_may_erase_person),
    response={204: None, **ERASE_ERRORS},
    url_name="person_erase",
    summary="Erase a contact person's personal data",
)
def person_erase(request: HttpRequest, id: RecordId):
    """Irreversible: the name, role, e-mail, phone and consent note go from the contact, its
    history and every record and store that holds them; the contact stays as "erased contact".
    A second erasure answers 422."""
    services.person_erase(actor=caller(request), person=_person(request, id))
    return HttpResponse(status=204)


@router.get(
    "/users/{id}/personal-data",
    response={200: PersonalDataExport, 404: Problem},
    url_name="user_export",
    summary="Export a user's data",
)
def user_export(request: HttpRequest, id: RecordId):
    """Your own data (or, for staff, anyone's): account, memberships, invitations, API tokens and
    the changes made. The same export as the account page offers."""
    export = account_privacy.user_export(actor=caller(request), user=_user(request, id))
    return prepared(request, export)


@router.delete(
    "/users/{id}/personal-data",
    auth=write_auth(_may_erase_user),
    response={204: None, **ERASE_ERRORS},
    url_name="user_erase",
    summary="Erase a user's personal data (staff)",
)
def user_erase(request: HttpRequest, id: RecordId):
    """Irreversible: the account is locked as "erased-<id>", its memberships, tokens and sessions
    end, and its user name, name and e-mail go from every record and store that holds them."""
    account_privacy.user_erase(actor=caller(request), user=_user(request, id))
    return HttpResponse(status=204)
