"""Every write to the directory: organizations, contact persons, alliance memberships."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import EDIT_ROLES
from hub.accounts.permissions import can_edit_for, can_manage
from hub.core import history, privacy
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
# A contact's personal data: blanked on the record and in its history when erased.
PERSONAL_FIELDS = ["name", "role", "email", "phone", "consent_note"]
# The values that identify the person: looked for, and erased, everywhere else too.
IDENTIFYING_FIELDS = ["name", "email", "phone"]


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


def _check_privacy(actor, person: Person) -> None:
    if not can_manage(actor, person.steward):
        raise PermissionDenied(
            _("Only managers of the organization that keeps this contact export or erase it.")
        )


def _person_redactor(person: Person) -> privacy.Redactor:
    current = {getattr(person, name) for name in IDENTIFYING_FIELDS}
    return privacy.Redactor(current | privacy.history_values(person, IDENTIFYING_FIELDS))


def person_export(*, actor, person: Person) -> dict:
    """Everything the hub holds about a contact person, history included, for the manager of the
    organization that keeps them (or staff); staff also get every other record that names them."""
    _check_privacy(actor, person)
    fields = history.snapshot(person, PERSON_FIELDS, created_at=person.created_at)
    if person.erased_at is not None:
        fields["erased_at"] = person.erased_at.isoformat()
    export = {
        "subject": {"type": "contact person", "id": person.pk},
        "exported_at": timezone.now().isoformat(),
        "records": [
            {
                "record": f"contact person #{person.pk}",
                "when": person.created_at.isoformat(),
                "fields": fields,
                "history": privacy.history_export(person),
            }
        ],
    }
    if actor.is_staff:
        export["mentions"] = privacy.mentions_export(
            _person_redactor(person), skip=[Person], besides=person
        )
    return export


@transaction.atomic
def person_erase(*, actor, person: Person) -> Person:
    """Erase a contact person's data from their record, its history and every other record and
    store that names them; the row stays as an "erased contact" (its history keeps who changed
    what and when), and the erasure is recorded without the erased values."""
    person = Person.objects.select_for_update().select_related("steward").get(pk=person.pk)
    _check_privacy(actor, person)
    if person.erased_at is not None:
        raise ValidationError(_("This contact's data have already been erased."))
    redactor = _person_redactor(person)
    for name in PERSONAL_FIELDS:
        setattr(person, name, "")
    person.consent_note = privacy.PLACEHOLDER
    person.archived = True
    person.erased_at = timezone.now()
    person.save()
    privacy.redact_history(person, PERSONAL_FIELDS, repr_text=str(person))
    count = privacy.redact_everywhere(redactor, actor=actor)
    history.record(
        actor=actor,
        instance=person,
        action=HistoryEntry.Action.ERASE,
        after={"redacted_records": count},
    )
    return person
