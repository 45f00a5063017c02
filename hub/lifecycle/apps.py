from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "hub.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle, agreements and documents"

    def ready(self) -> None:
        from hub.lifecycle.steps import history_rules  # noqa: F401
