from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "hub.alliances"
    label = "alliances"
    verbose_name = "Alliances and collective impact"
