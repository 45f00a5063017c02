"""Domain-free models: the history of every change, and the visibility levels records share."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone")
    MOVEMENT = "movement", _("Movement: signed-in users")
    PRIVATE = "private", _("Private: members of the participating organizations")


class HistoryQuerySet(models.QuerySet["HistoryEntry"]):
    def for_object(self, obj: models.Model) -> "HistoryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("actor")


class HistoryEntry(models.Model):
    """One change to one record: who, when, and the fields that changed ({field: [old, new]})."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        END = "end", _("ended")
        ARCHIVE = "archive", _("archived")
        DELETE = "delete", _("deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="history_object")]
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.object_repr} {self.action} {self.at:%Y-%m-%d %H:%M}"
