from django.apps import AppConfig


class MappingConfig(AppConfig):
    name = "hub.mapping"
    label = "mapping"
