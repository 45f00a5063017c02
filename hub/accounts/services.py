"""Writes to accounts: invitations and memberships. Managers manage their organization's members."""

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
from hub.accounts.permissions import can_manage
from hub.core import history
from hub.core.models import HistoryEntry


def _record_members(actor, organization, before: str, after: str) -> None:
    history.record(
        actor=actor,
        instance=organization,
        action=HistoryEntry.Action.CHANGE,
        before={"members": before},
        after={"members": after},
    )


@transaction.atomic
def membership_set(*, actor, organization, user: User, role: str) -> Membership:
    """Give `user` a role in `organization` (creating the membership if needed)."""
    if not can_manage(actor, organization):
        raise PermissionDenied(_("Only managers change members."))
    return _set_role(actor=actor, organization=organization, user=user, role=role)


def _set_role(*, actor, organization, user: User, role: str) -> Membership:
    """The one place a role is set (by a manager or by accepting an invitation)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose viewer, editor or manager.")})
    membership = (
        Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    )
    old = membership.role if membership else ""
    if membership and old == Role.MANAGER and role != Role.MANAGER:
        _keep_a_manager(organization, membership)
    if membership is None:
        membership = Membership.objects.create(user=user, organization=organization, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    _record_members(
        actor, organization, f"{user.username}: {old}" if old else "", f"{user.username}: {role}"
    )
    return membership


def _keep_a_manager(organization, leaving: Membership) -> None:
    """Refuse a change that would leave `organization` without a manager. The managers' rows are
    locked, so two managers stepping down at the same moment cannot both succeed."""
    managers = list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.MANAGER)
        .values_list("pk", flat=True)
    )
    if not set(managers) - {leaving.pk}:
        raise ValidationError({"role": _("An organization keeps at least one manager.")})


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """End a membership. The organization's history keeps who was a member."""
    if not can_manage(actor, membership.organization):
        raise PermissionDenied(_("Only managers change members."))
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == Role.MANAGER:
        _keep_a_manager(membership.organization, membership)
    _record_members(
        actor, membership.organization, f"{membership.user.username}: {membership.role}", ""
    )
    membership.delete()


@transaction.atomic
def invitation_create(*, actor, organization, email: str, role: str) -> Invitation:
    """Invite someone by e-mail; the link lets them sign up (or sign in) and join."""
    if not can_manage(actor, organization):
        raise PermissionDenied(_("Only managers invite members."))
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
    _record_members(actor, organization, "", f"invited {invitation.email}: {role}")
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
    membership = _set_role(
        actor=user, organization=invitation.organization, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
