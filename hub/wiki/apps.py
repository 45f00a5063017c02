from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "hub.wiki"
    label = "wiki"
