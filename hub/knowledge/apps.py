from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "hub.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        # Lessons and clinic questions in the one search (hub/core/search).
        from hub.core import search
        from hub.knowledge import history_rules  # noqa: F401  (what its history shows to whom)
        from hub.knowledge.search import LESSONS, QUESTIONS

        search.register(LESSONS)
        search.register(QUESTIONS)
