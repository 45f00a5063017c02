"""Users and their memberships of organizations (C13)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. Memberships give them roles in organizations."""


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    MANAGER = "manager", _("Manager")


EDIT_ROLES = (Role.EDITOR, Role.MANAGER)


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Memberships as data: whose they are and which role they carry. Who may act for which
    organization is asked of `Organization.objects` (hub/directory/models.py), which builds on these."""

    def held_by(self, user) -> "MembershipQuerySet":
        """The memberships `user` holds (none for anonymous visitors; staff hold only their own)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def editing(self) -> "MembershipQuerySet":
        """Memberships whose role edits for the organization (editor or manager)."""
        return self.filter(role__in=EDIT_ROLES)

    def managing(self) -> "MembershipQuerySet":
        """Memberships whose role manages the organization's facts and members."""
        return self.filter(role=Role.MANAGER)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="user_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.role})"


def invitation_max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor expired: the link still works."""
        return self.filter(
            accepted_at__isnull=True, created_at__gt=timezone.now() - invitation_max_age()
        )


class Invitation(models.Model):
    """A manager's invitation to join an organization, sent by e-mail and accepted through its link
    by the account with the invited address, within INVITATION_MAX_AGE_DAYS."""

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def expires_at(self):
        return self.created_at + invitation_max_age()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def is_for(self, user) -> bool:
        """Whether `user`'s account has the invited address (e-mail addresses ignore case)."""
        return bool(user.email) and user.email.strip().casefold() == self.email.casefold()
