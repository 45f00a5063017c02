"""Every write to the directory: organizations, contact persons, alliance memberships, and an
organization's members (the roles and invitations of hub.accounts, changed by its managers)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts import services as account_services
from hub.accounts.models import Invitation, Membership, User
from hub.core import history, privacy, search
from hub.core.models import HistoryEntry
from hub.directory import merging
from hub.directory.access import may_create
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
    "ror_id",
    "isil",
    "viaf_id",
    "wikidata_labels",
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


def _manages(actor, organization: Organization) -> bool:
    return Organization.objects.managed_by(actor).filter(pk=organization.pk).exists()


def _known_organization_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of an organization a service sets, refusing any other (keyed by its name)."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    return fields


def _check_kind_change(user, kind: str) -> None:
    if kind in Organization.MOVEMENT_KINDS and not user.is_staff:
        raise PermissionDenied(_("Only administrators add movement organizations."))


def check_new_organization(actor, fields: dict[str, Any], *, allowed: bool) -> None:
    """The rules of a new organization beyond its own record's (which are the model's): whether
    the actor may add one at all (`allowed`: `may_create(actor)`, asked once by a caller of many
    rows), movement kinds only by staff, and only the fields a service sets. Raises
    PermissionDenied, or ValidationError keyed by field."""
    if not allowed:
        raise PermissionDenied(_("You cannot add organizations."))
    _check_kind_change(actor, fields.get("kind", ""))
    _known_organization_fields(fields)


@transaction.atomic
def organization_create(*, actor, **fields: Any) -> Organization:
    """Add an organization to the directory (external ones by any editor, movement ones by staff).
    Many at once (an import): hub.directory.bulk.organization_create_many."""
    check_new_organization(actor, fields, allowed=may_create(actor))
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    history.record(
        actor=actor,
        instance=organization,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(organization, ORG_FIELDS),
    )
    search.index(organization)
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields: Any) -> Organization:
    """Change an organization's facts; records what changed."""
    if not Organization.objects.facts_editable_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("You cannot edit this organization."))
    if "kind" in fields and fields["kind"] != organization.kind:
        _check_kind_change(actor, fields["kind"])
        if organization.is_movement and not actor.is_staff:
            raise PermissionDenied(_("Only administrators change a movement organization's kind."))
    _known_organization_fields(fields)
    before = history.snapshot(organization, ORG_FIELDS)
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
    search.index(organization)  # and the partnerships whose entries name it
    return organization


@transaction.atomic
def person_create(
    *, actor, organization: Organization, steward: Organization, **fields: Any
) -> Person:
    """Record a contact person at `organization`, kept by the actor's organization `steward`."""
    if (
        not steward.is_movement
        or not Organization.objects.editable_by(actor).filter(pk=steward.pk).exists()
    ):
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
    if not Person.objects.editable_by(actor).filter(pk=person.pk).exists():
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
    if not _manages(actor, alliance):
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
    if not Person.objects.managed_by(actor).filter(pk=person.pk).exists():
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


# --- an organization's members: its managers (or staff) change them -----------------------------


@transaction.atomic
def membership_set(*, actor, organization: Organization, user: User, role: str) -> Membership:
    """Give `user` a role in `organization` (creating the membership if needed)."""
    if not _manages(actor, organization):
        raise PermissionDenied(_("Only managers change members."))
    return account_services.role_set(actor=actor, organization=organization, user=user, role=role)


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """End a membership. The organization's history keeps who was a member."""
    if not _manages(actor, membership.organization):
        raise PermissionDenied(_("Only managers change members."))
    account_services.membership_end(actor=actor, membership=membership)


@transaction.atomic
def invitation_create(*, actor, organization: Organization, email: str, role: str) -> Invitation:
    """Invite someone by e-mail to `organization`; the link lets them sign up (or sign in) and join."""
    if not _manages(actor, organization):
        raise PermissionDenied(_("Only managers invite members."))
    return account_services.invitation_send(
        actor=actor, organization=organization, email=email, role=role
    )


# --- merging a duplicate into the organization it duplicates ------------------------------------

# Facts the kept organization takes from the merged one when it has none (status stays its own).
MERGE_FILLS = [name for name in ORG_FIELDS if name not in ("status", "verified")]


@transaction.atomic
def organization_merge(
    *, actor, keep: Organization, merged: Organization, token: str | None = None
) -> dict[str, int]:
    """Fold the duplicate `merged` into `keep`: every row that points at `merged`, in any app, then
    points at `keep` (hub.directory.merging says how two rows that are one fact become one), its
    history entries become `keep`'s, `keep` takes the facts it lacks, the merge is recorded in
    `keep`'s history, and `merged` is deleted. For whoever may change both organizations' facts.
    `token` is `merging.merge_token` as the confirm page showed it: when given, a merge of
    records that changed since is refused. Returns {reference: rows moved}."""
    editable = Organization.objects.facts_editable_by(actor)
    if editable.filter(pk__in={keep.pk, merged.pk}).count() != len({keep.pk, merged.pk}):
        raise PermissionDenied(_("You cannot edit this organization."))
    if keep.pk == merged.pk:
        raise ValidationError(_("An organization cannot be merged into itself."), code="same")
    if merged.is_movement and not keep.is_movement:
        # Partnerships are led by movement organizations; the duplicate's kind is the wrong one.
        raise ValidationError(
            _("A movement organization can be merged only into a movement organization."),
            code="movement",
        )
    # Both rows locked, the lower id first, so two merges of one pair cannot deadlock.
    locked = {
        org.pk: org
        for org in Organization.objects.select_for_update()
        .filter(pk__in=[keep.pk, merged.pk])
        .order_by("pk")
    }
    keep, merged = locked[keep.pk], locked[merged.pk]
    if token is not None and token != merging.merge_token(keep, merged):
        raise ValidationError(
            _("One of the organizations changed since this page was shown. Check it again."),
            code="stale",
        )
    before = history.snapshot(keep, ORG_FIELDS)
    merged_label = f"{merged} (#{merged.pk})"
    fills = {
        name: getattr(merged, name)
        for name in MERGE_FILLS
        if getattr(merged, name) and not getattr(keep, name)
    }
    moved = merging.move_references(keep=keep, merged=merged)
    search.unindex(merged)
    merged.delete()  # nothing points at it any more; a reference left behind stops the merge here
    for name, value in fills.items():
        setattr(keep, name, value)
    keep.full_clean()
    keep.save()
    history.record(
        actor=actor,
        instance=keep,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after={**history.snapshot(keep, ORG_FIELDS), "merged_from": merged_label},
    )
    search.index(keep)  # and the partnerships that named the duplicate, which now name `keep`
    return moved
