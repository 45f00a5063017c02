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


def editable_organization_ids(user) -> list[int]:
    """The organizations `user` edits for (editor or manager); none for anonymous visitors."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, role__in=EDIT_ROLES).values_list(
            "organization_id", flat=True
        )
    )


def can_manage(user, organization) -> bool:
    return user.is_authenticated and (user.is_staff or role_in(user, organization) == Role.MANAGER)
