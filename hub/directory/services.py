"""Every write to the directory: organizations, contact persons, alliance memberships."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.accounts.models import EDIT_ROLES
from hub.accounts.permissions import can_edit_for, can_manage
from hub.core import history
from hub.core.models import HistoryEntry
from hub.directory.models import AllianceMembership, Organization, Person

ORG_FIELDS = [
    "name",
    "local_name",
    "short_code",
    "kind",
    "status",
    "country",
    "city",
    "recognized_on",
    "website",
    "wikidata_id",
    "description",
    "verified",
    "source_note",
]
PERSON_FIELDS = [
    "organization",
    "steward",
    "name",
    "role",
    "email",
    "phone",
    "consent_note",
    "archived",
]


def can_edit_organization(user, organization: Organization | None) -> bool:
    """Movement organizations are edited by their own managers; external ones by any editor."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if organization is not None and organization.is_movement:
        return can_manage(user, organization)
    return user.memberships.filter(role__in=EDIT_ROLES).exists()


def _check_kind_change(user, kind: str) -> None:
    if kind in Organization.MOVEMENT_KINDS and not user.is_staff:
        raise PermissionDenied(_("Only administrators add movement organizations."))


@transaction.atomic
def organization_create(*, actor, **fields: Any) -> Organization:
    """Add an organization to the directory (external ones by any editor, movement ones by staff)."""
    if not can_edit_organization(actor, None):
        raise PermissionDenied(_("You cannot add organizations."))
    _check_kind_change(actor, fields.get("kind", ""))
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    if not fields.get("short_code"):
        fields["short_code"] = None
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    history.record(
        actor=actor,
        instance=organization,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(organization, ORG_FIELDS),
    )
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields: Any) -> Organization:
    """Change an organization's facts; records what changed."""
    if not can_edit_organization(actor, organization):
        raise PermissionDenied(_("You cannot edit this organization."))
    if "kind" in fields and fields["kind"] != organization.kind:
        _check_kind_change(actor, fields["kind"])
        if organization.is_movement and not actor.is_staff:
            raise PermissionDenied(_("Only administrators change a movement organization's kind."))
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    before = history.snapshot(organization, ORG_FIELDS)
    if "short_code" in fields and not fields["short_code"]:
        fields["short_code"] = None
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    history.record(
        actor=actor,
        instance=organization,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=history.snapshot(organization, ORG_FIELDS),
    )
    return organization


@transaction.atomic
def person_create(
    *, actor, organization: Organization, steward: Organization, **fields: Any
) -> Person:
    """Record a contact person at `organization`, kept by the actor's organization `steward`."""
    if not steward.is_movement or not can_edit_for(actor, steward):
        raise PermissionDenied(_("You can keep contacts only for an organization you edit for."))
    person = Person(organization=organization, steward=steward, **fields)
    person.full_clean()
    person.save()
    history.record(
        actor=actor,
        instance=person,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields: Any) -> Person:
    """Change a contact person; archiving is a change of `archived`, never a deletion."""
    if not can_edit_for(actor, person.steward):
        raise PermissionDenied(_("You cannot edit this contact."))
    before = history.snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        if name not in PERSON_FIELDS or name == "steward":
            raise ValidationError({name: _("This field cannot be set.")})
        setattr(person, name, value)
    person.full_clean()
    person.save()
    history.record(
        actor=actor,
        instance=person,
        action=HistoryEntry.Action.ARCHIVE
        if fields.get("archived")
        else HistoryEntry.Action.CHANGE,
        before=before,
        after=history.snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def alliance_membership_add(
    *, actor, alliance: Organization, member: Organization, role: str = "member", **fields: Any
) -> AllianceMembership:
    """Add a member to an alliance or hub; its managers (or staff) do this."""
    if not alliance.is_alliance:
        raise ValidationError({"alliance": _("Only hubs and networks have members.")})
    if not can_manage(actor, alliance):
        raise PermissionDenied(_("Only the alliance's managers change its members."))
    membership = AllianceMembership(alliance=alliance, member=member, role=role, **fields)
    membership.full_clean()
    membership.save()
    history.record(
        actor=actor,
        instance=alliance,
        action=HistoryEntry.Action.CHANGE,
        before={},
        after={"members": f"+ {member} ({membership.get_role_display()})"},
    )
    return membership
