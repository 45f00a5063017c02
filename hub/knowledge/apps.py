from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "hub.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        # Lessons, clinic questions and resources in the one search (hub/core/search).
        from hub.core import search
        from hub.knowledge import history_rules  # noqa: F401  (what its history shows to whom)
        from hub.knowledge.resources.search import KIND as RESOURCES
        from hub.knowledge.search import LESSONS, QUESTIONS

        search.register(LESSONS)
        search.register(QUESTIONS)
        search.register(RESOURCES)

        # The resource library on each lifecycle step.
        from hub.knowledge.resources.steps import step_resources
        from hub.lifecycle.steps import extensions

        extensions.register(step_resources)
