"""Writes to accounts: invitations and memberships.

Who may change an organization's members is the organization's business: hub/directory/services.py
(`membership_set`, `membership_remove`, `invitation_create`) checks that the actor manages it and
then calls the writes here, which check no permission of their own. Accounts never imports the
directory; only `invitation_accept`, whose permission is the invitation itself, is called directly.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hub.accounts.models import Invitation, Membership, Role, User
from hub.core import history
from hub.core.models import HistoryEntry


def record_members(actor, organization, before: str, after: str) -> None:
    """Record a change of `organization`'s members in its history."""
    history.record(
        actor=actor,
        instance=organization,
        action=HistoryEntry.Action.CHANGE,
        before={"members": before},
        after={"members": after},
    )


def role_set(*, actor, organization, user: User, role: str) -> Membership:
    """The one place a role is set: by a manager (hub.directory.services.membership_set, which
    checks that they manage the organization) or by accepting an invitation. Checks no permission;
    runs inside the caller's transaction."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose viewer, editor or manager.")})
    membership = (
        Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    )
    old = membership.role if membership else ""
    if membership and old == Role.MANAGER and role != Role.MANAGER:
        keep_a_manager(organization, membership)
    if membership is None:
        membership = Membership.objects.create(user=user, organization=organization, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    record_members(
        actor, organization, f"{user.username}: {old}" if old else "", f"{user.username}: {role}"
    )
    return membership


def keep_a_manager(organization, leaving: Membership) -> None:
    """Refuse a change that would leave `organization` without a manager. The managers' rows are
    locked, so two managers stepping down at the same moment cannot both succeed."""
    managers = list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.MANAGER)
        .values_list("pk", flat=True)
    )
    if not set(managers) - {leaving.pk}:
        raise ValidationError({"role": _("An organization keeps at least one manager.")})


def membership_end(*, actor, membership: Membership) -> None:
    """End a membership; the organization's history keeps who was a member. Checks no permission:
    managers call hub.directory.services.membership_remove."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == Role.MANAGER:
        keep_a_manager(membership.organization, membership)
    record_members(
        actor, membership.organization, f"{membership.user.username}: {membership.role}", ""
    )
    membership.delete()


def invitation_send(*, actor, organization, email: str, role: str) -> Invitation:
    """Invite someone by e-mail; the link lets them sign up (or sign in) and join. Checks no
    permission: managers call hub.directory.services.invitation_create."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose viewer, editor or manager.")})
    invitation = Invitation.objects.create(
        organization=organization,
        email=email.strip(),
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept", args=[invitation.token])
    subject = _("You are invited to %(org)s on the Partnership Hub") % {"org": organization.name}
    send_mail(
        # A header is one line: a name posted with line breaks would make sending fail.
        subject=" ".join(subject.split()),
        message=_(
            "%(who)s invites you to join %(org)s as %(role)s. Accept by %(expires)s, with an "
            "account for this e-mail address: %(link)s"
        )
        % {
            "expires": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
            "who": actor.get_full_name() or actor.username,
            "org": organization.name,
            "role": invitation.get_role_display(),
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )
    record_members(actor, organization, "", f"invited {invitation.email}: {role}")
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    """The invited person accepts: the account with the invited address becomes a member with the
    role the manager chose, while the invitation is neither used nor expired."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired."), code="expired")
    if not invitation.is_for(user):
        raise PermissionDenied(_("This invitation is for another e-mail address."))
    membership = role_set(
        actor=user, organization=invitation.organization, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
