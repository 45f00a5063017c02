from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "hub.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle, agreements and documents"

    def ready(self) -> None:
        from hub.lifecycle.agreements import history_rules  # noqa: F401
        from hub.lifecycle.agreements.registry import NEEDS_ATTENTION
        from hub.partnerships import extensions

        extensions.register(NEEDS_ATTENTION)
