from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "hub.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle, agreements and documents"

    def ready(self) -> None:
        # What their history entries show to whom (hub.core.history.read).
        from hub.lifecycle.agreements import history_rules as _agreements  # noqa: F401
        from hub.lifecycle.agreements.registry import NEEDS_ATTENTION
        from hub.lifecycle.steps import history_rules as _steps  # noqa: F401
        from hub.partnerships import extensions

        extensions.register(NEEDS_ATTENTION)

        # The history's names for what steps and agreements record on a partnership.
        from hub.core.models import HistoryEntry
        from hub.lifecycle.history_labels import LABELS

        HistoryEntry.LABELS.update(LABELS)

        # Agreements and document templates in the one search (hub/core/search).
        from hub.core import search
        from hub.lifecycle.agreements.search import KIND
        from hub.lifecycle.documents.search import KIND as TEMPLATES

        search.register(KIND)
        search.register(TEMPLATES)
