"""Who may do what to an organization's records. Domain rules live with each model's QuerySet."""

from hub.accounts.models import EDIT_ROLES, Membership, Role


def role_in(user, organization) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )


def can_edit_for(user, organization) -> bool:
    """Editors and managers act for their organization; staff act for all."""
    return user.is_authenticated and (user.is_staff or role_in(user, organization) in EDIT_ROLES)


def can_manage(user, organization) -> bool:
    return user.is_authenticated and (user.is_staff or role_in(user, organization) == Role.MANAGER)
