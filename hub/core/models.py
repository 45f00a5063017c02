"""Domain-free models: the history of every change, and the visibility levels records share."""

import contextlib
import datetime
import decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone")
    MOVEMENT = "movement", _("Movement: signed-in users")
    PRIVATE = "private", _("Private: members of the participating organizations")


class HistoryQuerySet(models.QuerySet["HistoryEntry"]):
    def for_object(self, obj: models.Model, *also: int | None) -> "HistoryQuerySet":
        """The entries of `obj`, and the entries with the ids in `also` (such as the import that
        created it: an import records one entry for all its rows)."""
        own = models.Q(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        extra = [pk for pk in also if pk is not None]
        if extra:
            own |= models.Q(pk__in=extra)
        return self.filter(own).select_related("actor", "content_type")


class HistoryEntry(models.Model):
    """One change to one record: who, when, and the fields that changed ({field: [old, new]})."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        END = "end", _("ended")
        ARCHIVE = "archive", _("archived")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        ERASE = "erase", _("personal data erased")

    # Labels of the keys an entry may hold that are not fields of its model (an import's counts).
    LABELS = {
        "imported_contributions": _("In-kind contributions imported"),
        "source": _("From the file"),
        "redacted_records": _("Records and history entries redacted"),
        "merged_from": _("Merged from"),
    }

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

    # What a reader may see of the entry, decided by hub.core.history.read (never saved).
    hidden = False

    @property
    def shown_changes(self) -> dict:
        """The changes this entry's reader may see (all of them until a reader rule withholds)."""
        if "_shown" not in self.__dict__:
            self.__dict__["_shown"] = dict(self.changes)
        return self.__dict__["_shown"]

    def withhold(self, *names: str) -> None:
        for name in names:
            self.shown_changes.pop(name, None)

    def show(self, name: str, before: Any, after: Any) -> None:
        """Show `name` changing from `before` to `after` instead (both empty: not at all)."""
        if before in (None, "", []) and after in (None, "", []):
            self.withhold(name)
        else:
            self.shown_changes[name] = [before, after]

    def rows(self) -> list[dict]:
        """The changes as rows a person reads: field label, before, after, and for lists what was
        removed and added (only what its reader may see)."""
        model = self.content_type.model_class()
        rows = []
        for name, (before, after) in self.shown_changes.items():
            label = str(self.LABELS.get(name, name.replace("_", " ")))
            if model is not None and name not in self.LABELS:
                # A field that no longer exists keeps its stored name.
                with contextlib.suppress(FieldDoesNotExist):
                    field = model._meta.get_field(name)
                    label = str(getattr(field, "verbose_name", label))
                    before, after = _readable(field, before), _readable(field, after)
            row = {"label": label[:1].upper() + label[1:], "before": before, "after": after}
            if isinstance(before, list) or isinstance(after, list):
                old, new = before or [], after or []
                row["removed"] = [item for item in old if item not in new]
                row["added"] = [item for item in new if item not in old]
                row["kept"] = [item for item in new if item in old]
                row["is_list"] = True
            rows.append(row)
        return rows


def _readable(field: Any, value: Any) -> Any:
    """A date, time or decimal the history stored as ISO text, as the reader's language writes it."""
    if not isinstance(value, str) or not value:
        return value
    with contextlib.suppress(ValueError, ArithmeticError):
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        if isinstance(field, models.DecimalField):
            return number_format(decimal.Decimal(value), force_grouping=True)
    return value


from hub.core.search.models import SearchEntry, SearchEntryOrganization  # noqa: E402, F401  (the app's models)
