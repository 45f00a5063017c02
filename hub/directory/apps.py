from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hub.directory"
    label = "directory"
