"""Fetching a directory record with permission: one `get_<entity>_for` per entity, used by the
pages and the API alike.

Each raises Http404 for what the user may not see (never telling that it exists) and
PermissionDenied for what they may see but not change (`edit=True`). `refusal` is the
PermissionDenied's message: the API shows it in its problem body; pages leave it empty and show
their general "not allowed" text. Who may do what is decided by the QuerySet methods in
hub/directory/models.py; these functions only ask them.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.accounts.models import EDIT_ROLES, Membership
from hub.directory.models import Organization, Person


def may_create(user, *, roles: Iterable[str] | None = None) -> bool:
    """Whether `user` may start new records (a partnership, an external organization, a
    contribution...): staff, or an editor or manager of some organization. The pages' "new"
    buttons and forms, the services and the API's create operations all ask this; whom the new
    record is for is checked with `Organization.objects.editable_by(user)` once it is known.

    `roles`, the roles the user holds, saves the query when the caller has read them already
    (the home page does, to tell members from other signed-in people)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if roles is not None:
        return bool(set(roles) & set(EDIT_ROLES))
    return Organization.objects.editable_by(user).exists()


def get_organization_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Organization:
    """An organization: public records, so only an unknown id is 404; `edit` is for those who may
    change its facts (`Organization.objects.facts_editable_by`)."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise Http404
    if edit and not Organization.objects.facts_editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    return organization


def get_person_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Person:
    """A contact person (with its organization and steward) among those `user` may see; `edit` is
    for editors of its steward, and an erased contact has nothing left to edit (404)."""
    person = (
        Person.objects.visible_to(user)
        .select_related("organization", "steward")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    if edit and not Person.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    if edit and person.erased_at is not None:
        raise Http404
    return person


def get_managed_organization_for(
    user, pk: int, *, edit: bool = False, refusal: str = ""
) -> Organization:
    """An organization for its members page: its members (and staff) read it, 404 for everyone
    else; changing its members (`edit`) is for its managers."""
    organization = Organization.objects.members_visible_to(user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    if edit and not Organization.objects.managed_by(user).filter(pk=pk).exists():
        raise PermissionDenied(refusal)
    return organization


def get_membership_for(user, pk: int, *, edit: bool = False, refusal: str = "") -> Membership:
    """A membership, seen as its organization's members page shows it (see
    `get_managed_organization_for`), with its organization and user."""
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(pk=pk, organization__in=Organization.objects.members_visible_to(user))
        .first()
    )
    if membership is None:
        raise Http404
    if (
        edit
        and not Organization.objects.managed_by(user).filter(pk=membership.organization_id).exists()
    ):
        raise PermissionDenied(refusal)
    return membership
