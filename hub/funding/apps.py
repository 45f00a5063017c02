from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "hub.funding"
    label = "funding"

    def ready(self) -> None:
        # What its history entries show to whom (hub.core.history.read).
        from hub.funding import history_rules  # noqa: F401
