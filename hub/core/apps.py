from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hub.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import fields

        # The empty choice of every select (Django 6.1's own text), in the hub's catalogues:
        # Django ships it in few of the hub's languages yet.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")

        from django.contrib.admin.models import LogEntry

        from hub.core import figcache

        # The admin's writes record no history: its log entries move the figures' generation.
        figcache.connect(LogEntry)
