from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "hub.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from hub.knowledge import history_rules  # noqa: F401  (what its history shows to whom)
