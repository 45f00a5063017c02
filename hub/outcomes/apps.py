from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "hub.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from hub.funding import extensions
        from hub.outcomes.infographic import infographic_rows

        # The year's outcomes beside its in-kind support on the infographic.
        extensions.register(infographic_rows)
