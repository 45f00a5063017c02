"""Recording history: services take a snapshot before and after a write and record the difference.

Every entry recorded here also marks the cached figures as changed once the write commits
(`hub.core.figcache.changed`), so a service that records its write keeps the mapping page, the
dashboard and the infographic current without knowing them.

A snapshot is a plain dict of field name to a JSON-friendly value; many-to-many fields and child rows
are given by the caller as sorted lists of readable strings, so a diff reads like a sentence.
"""

import datetime
import decimal
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language

from hub.core import bulk, figcache
from hub.core.models import HistoryEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@functools.lru_cache(maxsize=512)
def _choice_labels(model: type[models.Model], name: str, language: str | None) -> dict[Any, str]:
    """{stored value: label} of a choice field, built once per language: imports snapshot many rows,
    and get_FOO_display() rebuilds (and translates) the whole choice list on every call."""
    field = model._meta.get_field(name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def snapshot(instance: models.Model, fields: Iterable[str], **extra: Any) -> Snapshot:
    """The values of `fields` on `instance` (foreign keys by their text), plus `extra` values."""
    data: Snapshot = {}
    # Once, not per choice field: reading the active language costs more than the lookup.
    language = get_language()
    for name in fields:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            data[name] = _plain(getattr(instance, name))
        elif getattr(field, "choices", None):
            value = getattr(instance, name)
            # _plain: a value outside the choices (a blank CountryField's Country('')) is text too
            data[name] = _plain(_choice_labels(type(instance), name, language).get(value, value))
        else:
            data[name] = _plain(getattr(instance, name))
    for key, value in extra.items():
        data[key] = _plain(value)
    return data


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed; empty values (None, "", []) are equal."""
    keys = list(dict.fromkeys([*before, *after]))
    changes = {}
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old != new and not (_empty(old) and _empty(new)):
            changes[key] = [old, new]
    return changes


def record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> HistoryEntry | None:
    """Record one entry; a change that changed nothing records nothing."""
    changes = diff(before or {}, after or {})
    if action == HistoryEntry.Action.CHANGE and not changes:
        return None
    return record_changes(
        actor=actor,
        model=type(instance),
        object_id=instance.pk,
        object_repr=str(instance),
        action=action,
        changes=changes,
    )


def record_changes(
    *,
    actor: Any,
    model: type[models.Model],
    object_id: Any,
    object_repr: str,
    action: str,
    changes: dict[str, list[Any]],
) -> HistoryEntry:
    """Record one entry whose changes the caller states: for a write that is not one row's before
    and after (an import's count of rows and its file, a file of exchange rates). Use `record` for
    a row's own change."""
    entry = new_entry(
        actor=actor,
        model=model,
        object_id=object_id,
        object_repr=object_repr,
        action=action,
        changes=changes,
    )
    entry.save(force_insert=True)
    figcache.changed()
    return entry


def new_entry(
    *,
    actor: Any,
    model: type[models.Model],
    object_id: Any,
    object_repr: str,
    action: str,
    changes: dict[str, list[Any]],
) -> HistoryEntry:
    """The unsaved entry `record_changes` saves. A bulk write builds one per record with this,
    inserts them together (hub.core.bulk.insert) and calls figcache.changed() once."""
    return HistoryEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        object_repr=str(object_repr)[:300],
        action=action,
        actor=_recorded_actor(actor),
        changes=changes,
    )


def record_many(
    *,
    actor: Any,
    instances: Sequence[models.Model],
    action: str,
    afters: Iterable[Snapshot],
    extra: dict[str, list[Any]] | None = None,
) -> None:
    """One entry per saved instance of one model, each `record(before=None, after=...)` would
    make, with the changes `extra` (an import's file) added to each; written a batch per INSERT,
    the figures marked changed once. For services that create many rows at once."""
    if not instances:
        return
    content_type = ContentType.objects.get_for_model(type(instances[0]))
    who = _recorded_actor(actor)
    # The entries' ids are not needed: bulk.insert skips reading them back, and the ORM's
    # compiling of each value (half the time of a 10,000-row import with bulk_create).
    bulk.insert(
        HistoryEntry,
        [
            HistoryEntry(
                content_type=content_type,
                object_id=instance.pk,
                object_repr=str(instance)[:300],
                action=action,
                actor=who,
                changes={**diff({}, after), **(extra or {})},
            )
            for instance, after in zip(instances, afters, strict=True)
        ],
    )
    figcache.changed()


def _recorded_actor(actor: Any) -> Any:
    """Who an entry names: a signed-in user, else no one (the system, a script)."""
    return actor if getattr(actor, "is_authenticated", False) else None


# --------------------------------------------------------------------------- reading

# Each app that records something not everyone who sees a record may read (members' e-mail
# addresses, an import's file, a linked partnership's title) registers a reader rule for it.
ReaderRule = Callable[[Any, models.Model, list[HistoryEntry]], None]
_RULES: list[ReaderRule] = []


def reader_rule(rule: ReaderRule) -> ReaderRule:
    """Register `rule(user, obj, entries)`: it hides entries (`entry.hidden = True`) or fields of
    them (`entry.withhold(name)`, `entry.show(name, before, after)`) that `user` may not read on
    the history page of `obj`. Rules see the whole page at once, so they ask the database once."""
    _RULES.append(rule)
    return rule


def read(user, obj: models.Model, *also: int | None) -> list[HistoryEntry]:
    """The history of `obj` (and the entries `also`) as `user` may read it: every history page
    reads through here. A change left with none of the fields it changed is left out."""
    entries = list(HistoryEntry.objects.for_object(obj, *also))
    for rule in _RULES:
        rule(user, obj, entries)
    return [
        e
        for e in entries
        if not e.hidden
        and (e.shown_changes or not e.changes or e.action != HistoryEntry.Action.CHANGE)
    ]
