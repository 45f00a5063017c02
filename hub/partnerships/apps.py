from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "hub.partnerships"
    label = "partnerships"

    def ready(self) -> None:
        # What its history entries show to whom (hub.core.history.read).
        from hub.partnerships import history_rules  # noqa: F401
