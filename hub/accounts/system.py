from hub.accounts.models import User

SYSTEM_USERNAME = "hub-system"


def system_actor() -> User:
    """The account that loaders act as: staff, so services allow it; inactive, so nobody signs in as it."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_staff": True, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
