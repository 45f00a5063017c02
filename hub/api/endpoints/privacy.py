"""A person's data: export (GET) and erasure (DELETE) of a contact person's or a user's personal
data, through the same services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from hub.accounts import privacy as account_privacy
from hub.accounts.models import User
from hub.accounts.permissions import can_manage
from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import RecordId, path_id, prepared
from hub.api.problems import Problem
from hub.directory import services
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
    person = (
        Person.objects.visible_to(caller(request)).select_related("steward").filter(pk=pk).first()
    )
    if person is None:
        raise Http404
    return person


def _may_erase_person(request: HttpRequest) -> None:
    if not can_manage(caller(request), _person(request, path_id(request)).steward):
        raise PermissionDenied(
            _("Only managers of the organization that keeps this contact erase it.")
        )


def _user(request: HttpRequest, pk: int) -> User:
    """As on the pages: a user's data are the user's own and the administrators' (404 for others)."""
    actor = caller(request)
    user = User.objects.filter(pk=pk).first()
    if user is None or not actor.is_authenticated or not (actor.is_staff or actor.pk == user.pk):
        raise Http404
    return user


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
