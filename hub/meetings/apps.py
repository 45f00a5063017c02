from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hub.meetings"
    label = "meetings"

    def ready(self) -> None:
        from hub.core import search
        from hub.meetings import history_rules  # noqa: F401  (what its history shows to whom)
        from hub.meetings.search import MEETINGS

        search.register(MEETINGS)
