from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hub.meetings"
    label = "meetings"
