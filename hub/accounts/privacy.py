"""A user's data: exported for themselves (or staff), erased by staff."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import Invitation, Membership, User
from hub.core import history, privacy
from hub.core.models import HistoryEntry


def _redactor(user: User) -> privacy.Redactor:
    """A user name that is also a word of the hub ("editor") is erased only where it names the user."""
    values = [user.email, user.get_full_name()]
    if user.username.lower() in privacy.vocabulary():
        return privacy.Redactor(values, labels=[user.username])
    return privacy.Redactor([*values, user.username])


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _account(user: User) -> dict:
    return {
        "record": f"user #{user.pk}",
        "when": _iso(user.date_joined),
        "fields": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "is_staff": user.is_staff,
        },
        "history": privacy.history_export(user),
    }


def _memberships(user: User) -> list[dict]:
    return [
        {
            "record": f"membership #{m.pk}",
            "when": _iso(m.created_at),
            "fields": {"organization": str(m.organization), "role": m.role},
        }
        for m in Membership.objects.filter(user=user).select_related("organization")
    ]


def _invitations(user: User) -> list[dict]:
    if not user.email:
        return []
    return [
        {
            "record": f"invitation #{i.pk}",
            "when": _iso(i.created_at),
            "fields": {
                "organization": str(i.organization),
                "email": i.email,
                "role": i.role,
                "accepted_at": _iso(i.accepted_at),
            },
        }
        for i in Invitation.objects.filter(email__iexact=user.email).select_related("organization")
    ]


def _tokens(user: User) -> list[dict]:
    return [
        {
            "record": f"API token #{t.pk}",
            "when": _iso(t.created_at),
            "fields": {
                "name": t.name,
                "scope": t.scope,
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            },
        }
        for t in user.api_tokens.all()  # type: ignore[attr-defined]
    ]


def _authored(user: User) -> list[dict]:
    """The changes the user made, by record and action: not their content, which belongs to the
    records (some of which the user may no longer see)."""
    entries = HistoryEntry.objects.filter(actor=user).select_related("content_type")
    return [
        {
            "record": f"history entry #{e.pk}",
            "when": _iso(e.at),
            "fields": {
                "changed": f"{e.content_type.app_label}.{e.content_type.model} #{e.object_id}",
                "action": e.action,
            },
        }
        for e in entries.order_by("at", "pk")
    ]


def user_export(*, actor, user: User) -> dict:
    """Everything the hub holds about a user, for that user or staff: the account, memberships,
    invitations to their address, API tokens (never their secrets), the changes they made; staff
    also get every other record that names them."""
    if not actor.is_authenticated or not (actor.is_staff or actor.pk == user.pk):
        raise PermissionDenied(_("Only the user themself and administrators export a user's data."))
    export = {
        "subject": {"type": "user", "id": user.pk},
        "exported_at": timezone.now().isoformat(),
        "records": [
            _account(user),
            *_memberships(user),
            *_invitations(user),
            *_tokens(user),
            *_authored(user),
        ],
    }
    if actor.is_staff:
        export["mentions"] = privacy.mentions_export(_redactor(user), skip=[User], besides=user)
    return export


def can_erase_user(actor, user: User) -> bool:
    """Administrators erase accounts (another administrator's only a superuser). A manager does
    not: the account may be a member elsewhere and may have made changes in other organizations;
    a manager removes the membership instead."""
    if not (actor.is_authenticated and actor.is_staff):
        return False
    return actor.is_superuser or not (user.is_staff or user.is_superuser)


def is_erased(user: User) -> bool:
    return not user.is_active and user.username == f"erased-{user.pk}"


@transaction.atomic
def user_erase(*, actor, user: User) -> User:
    """Erase a user's personal data: the account stays as a locked "erased-<id>" tombstone (so the
    history keeps that a change was made, and when), its memberships, tokens and sessions end, and
    its user name, name and e-mail go from every record, history entry and store that holds them.
    The erasure is recorded, on the account and on each organization it left, without them."""
    if not can_erase_user(actor, user):
        raise PermissionDenied(_("Only administrators erase an account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("Another administrator erases your account, not you."))
    if is_erased(user):
        raise ValidationError(_("This account's data have already been erased."))
    redactor = _redactor(user)
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        history.record(
            actor=actor,
            instance=membership.organization,
            action=HistoryEntry.Action.ERASE,
            before={"members": f"{privacy.PLACEHOLDER}: {membership.role}"},
            after={"members": ""},
        )
        membership.delete()
    user.api_tokens.all().delete()  # type: ignore[attr-defined]
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.user_permissions.clear()
    user.groups.clear()
    user.set_unusable_password()
    user.save()
    privacy.forget_user_sessions(user.pk)
    count = privacy.redact_everywhere(redactor, actor=actor)
    history.record(
        actor=actor,
        instance=user,
        action=HistoryEntry.Action.ERASE,
        after={"redacted_records": count},
    )
    return user
