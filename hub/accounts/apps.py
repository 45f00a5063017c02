from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hub.accounts"
    label = "accounts"

    def ready(self) -> None:
        # What its history entries show to whom (hub.core.history.read).
        from hub.accounts import history_rules  # noqa: F401
