from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "hub.outcomes"
    label = "outcomes"
