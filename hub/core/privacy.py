"""Finding, exporting and erasing a person's data wherever the hub keeps text: domain-free.

The domain services (`person_erase`, `user_erase`) decide whose data and which values; this module
finds those values in every text and JSON column of every model (records, history, admin log, task
rows, import jobs...), in sessions, and replaces them with `PLACEHOLDER`. The records themselves and
their history entries stay: only the values go.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from hub.core import cache as computed
from hub.core import history, uploads
from hub.core.models import HistoryEntry
from hub.core.tabular import looks_like_formula

PLACEHOLDER = "[erased]"
# Shorter values (initials, a one-letter name) would match inside ordinary text.
MIN_LENGTH = 3
EXPORT_FORMATS = ("json", "csv")
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
# What the hub publishes from its records as files (the open-data dumps): each such app registers
# a function here (in its AppConfig.ready) that withdraws the files naming one of the erased values.
PUBLISHED: list[Callable[[list[str]], Any]] = []


class Redactor:
    """Replaces the given values (whole words, any case) in text, lists and dicts.

    `labels` are values that are also ordinary words of the hub (a user called "editor"): they are
    replaced only where they stand for the person, as a whole text or as a label ("editor: viewer"
    in a list of members), so the role "editor" elsewhere stays."""

    def __init__(self, values: Iterable[str], *, labels: Iterable[str] = ()) -> None:
        words, names = _usable(values), _usable(labels)
        self.values = sorted({*words, *names}, key=len, reverse=True)
        parts = []
        if words:
            # A value is matched where it is not part of a longer word: "Ann" not in "Annual".
            parts.append(rf"(?<![^\W_])(?:{_either(words)})(?![^\W_])")
        if names:
            parts.append(rf"^(?:{_either(names)})$|(?<![^\W_])(?:{_either(names)})(?=:)")
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def found_in(self, value: Any) -> bool:
        return self.redact(value) != value

    def redact(self, value: Any) -> Any:
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self.pattern.sub(PLACEHOLDER, value)
        if isinstance(value, list):
            return [self.redact(item) for item in value]
        if isinstance(value, dict):
            return {self.redact(key): self.redact(item) for key, item in value.items()}
        return value

    def search_terms(self) -> list[str]:
        """What a LIKE search looks for, a superset the pattern then narrows: each value in its
        usual cases (SQLite's LIKE ignores the case of ASCII letters only), and as JSON text stores
        it (escaped); for a value with other letters also its longest ASCII part."""
        terms: set[str] = set()
        for value in self.values:
            cased = {value, value.lower(), value.upper(), value.title()}
            terms |= cased | {json.dumps(text)[1:-1] for text in cased}
            ascii_parts = re.findall(r"[ -~]+", value)
            longest = max(ascii_parts, key=len, default="")
            if longest != value and len(longest.strip()) >= MIN_LENGTH:
                terms.add(longest)
        # Every database's LIKE here ignores the case of ASCII letters: one of each is enough
        # (each term costs a pass over the table's text).
        unique = {term.lower() if term.isascii() else term: term for term in sorted(terms)}
        return sorted(unique.values())


def _usable(values: Iterable[str]) -> list[str]:
    return sorted({v.strip() for v in values if v and len(v.strip()) >= MIN_LENGTH}, key=len)[::-1]


def _either(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


def vocabulary() -> set[str]:
    """The words the hub itself writes into records, lower-cased: every choice's value and label
    ("viewer", "active", "Museum")."""
    words = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                words |= {str(value).lower(), str(label).lower()}
    return words


@dataclass
class Mention:
    model: type[models.Model]
    pk: Any
    field: str
    value: Any

    @property
    def record(self) -> str:
        return f"{self.model._meta.label_lower} #{self.pk}"


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not f.primary_key and not f.choices
    ]


def mentions(redactor: Redactor, *, skip: Iterable[type[models.Model]] = ()) -> Iterator[Mention]:
    """Every text or JSON value, in every table of every app, in which the redactor finds a value."""
    if not redactor:
        return
    skipped = set(skip)
    terms = redactor.search_terms()
    for model in apps.get_models():
        fields = _text_fields(model)
        if model in skipped or not fields or model._meta.proxy or not model._meta.managed:
            continue
        query = models.Q()
        for field in fields:
            for term in terms:
                query |= models.Q(**{f"{field.attname}__icontains": term})
        rows = model._default_manager.filter(query).values_list("pk", *(f.attname for f in fields))
        for pk, *values in rows.iterator(chunk_size=500):
            for field, value in zip(fields, values, strict=True):
                if redactor.found_in(value):
                    yield Mention(model, pk, field.attname, value)


def redact_everywhere(redactor: Redactor, *, actor: Any) -> int:
    """Replace the redactor's values in every table (records and history alike), sessions, the
    cache and published files; the number of rows changed. A changed record that has a history gets an entry saying
    its personal data were erased (without them)."""
    changes: dict[tuple[type[models.Model], Any], dict[str, Any]] = {}
    for mention in mentions(redactor, skip=[Session]):
        changes.setdefault((mention.model, mention.pk), {})[mention.field] = mention.value
    for (model, pk), fields in changes.items():
        _redact_row(model, pk, fields, redactor)
        _note_erasure(model, pk, actor)
    erase_uploads(redactor, named=set(changes))
    for withdraw in PUBLISHED:
        withdraw(redactor.values)
    _forget_sessions(redactor)
    # Rendered panels and figures may hold the values; they are computed again on demand (the
    # throttling counters, which hold no one's name, stay).
    computed.clear_computed(cache)
    return len(changes)


def _redact_row(model: type[models.Model], pk: Any, fields: dict, redactor: Redactor) -> None:
    new = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        redacted = redactor.redact(value)
        if getattr(field, "unique", False) and isinstance(redacted, str):
            redacted = f"{PLACEHOLDER}-{pk}"
        max_length = getattr(field, "max_length", None)
        if max_length and isinstance(redacted, str):
            redacted = redacted[:max_length]
        new[name] = redacted
    model._default_manager.filter(pk=pk).update(**new)


def erase_uploads(redactor: Redactor, *, named: set[tuple[type[models.Model], Any]]) -> int:
    """Stored uploads (models with an `erase_upload()` method, such as an import's spreadsheet) that
    hold the values, or whose row named them, are erased through that method. Returns how many."""
    erased = 0
    for model in apps.get_models():
        if not hasattr(model, "erase_upload"):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        empty = models.Q()
        for name in fields:
            empty &= models.Q(**{name: ""}) | models.Q(**{f"{name}__isnull": True})
        for instance in model._default_manager.exclude(empty).iterator():
            if (model, instance.pk) in named or any(
                uploads.file_mentions(getattr(instance, name), redactor.values) for name in fields
            ):
                instance.erase_upload()
                erased += 1
    return erased


def _note_erasure(model: type[models.Model], pk: Any, actor: Any) -> None:
    if model is HistoryEntry:
        return
    content_type = ContentType.objects.get_for_model(model)
    if not HistoryEntry.objects.filter(content_type=content_type, object_id=pk).exists():
        return
    instance = model._default_manager.get(pk=pk)
    history.record(actor=actor, instance=instance, action=HistoryEntry.Action.ERASE)


def _forget_sessions(redactor: Redactor, user_pk: Any = None) -> None:
    """Sessions are stored encoded: decode each and end those that hold the values (a message
    naming the person, a form's saved input) or belong to `user_pk`."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if redactor.found_in(str(data)) or (
            user_pk is not None and str(data.get("_auth_user_id")) == str(user_pk)
        ):
            session.delete()


def forget_user_sessions(user_pk: Any) -> None:
    """End every session of the user (an erased account signs in nowhere)."""
    _forget_sessions(Redactor([]), user_pk)


def redact_history(obj: models.Model, fields: Iterable[str], *, repr_text: str) -> int:
    """Replace the values of `fields` in every history entry of `obj` with the placeholder, and
    the record's name kept on each entry with `repr_text`; the entries stay. Returns their number."""
    names = set(fields)
    entries = HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    )
    count = 0
    for entry in entries.iterator():
        entry.changes = {
            name: [_blank(v) for v in pair] if name in names else pair
            for name, pair in entry.changes.items()
        }
        entry.object_repr = repr_text[:300]
        entry.save(update_fields=["changes", "object_repr"])
        count += 1
    return count


def _blank(value: Any) -> Any:
    return value if value in (None, "", []) else PLACEHOLDER


def history_values(obj: models.Model, fields: Iterable[str]) -> set[str]:
    """Every text the record's history held for `fields` (old names, old addresses)."""
    names = set(fields)
    values: set[str] = set()
    entries = HistoryEntry.objects.for_object(obj).values_list("changes", flat=True)
    for changes in entries:
        for name, pair in changes.items():
            if name in names:
                values |= {v for v in pair if isinstance(v, str) and v}
    return values


def history_export(obj: models.Model) -> list[dict]:
    """The record's history as plain data: when, what, who, and the changes."""
    return [
        {
            "at": entry.at.isoformat(),
            "action": entry.action,
            "actor": entry.actor.username if entry.actor else None,
            "changes": entry.changes,
        }
        for entry in HistoryEntry.objects.for_object(obj).order_by("at", "pk")
    ]


def mentions_export(
    redactor: Redactor, *, skip: Iterable[type[models.Model]] = (), besides: models.Model
) -> list[dict]:
    """Where else the values appear: every table but `skip`, sessions, and `besides`'s own history
    (exported as its history already)."""
    own = set(
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(besides)), object_id=besides.pk
        ).values_list("pk", flat=True)
    )
    return [
        {"record": m.record, "field": m.field, "value": m.value}
        for m in mentions(redactor, skip=[Session, *skip])
        if not (m.model is HistoryEntry and m.pk in own)
    ]


def export_csv(export: dict) -> str:
    """One row per fact: record, field, value, when. History changes give one row per field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "field", "value", "when"])
    for row in _fact_rows(export):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _fact_rows(export: dict) -> Iterator[tuple]:
    for record in export["records"]:
        name, when = record["record"], record.get("when", "")
        for field, value in record["fields"].items():
            yield name, field, value, when
        for entry in record.get("history", []):
            yield name, "action", entry["action"], entry["at"]
            yield name, "actor", entry["actor"], entry["at"]
            for field, (before, after) in entry["changes"].items():
                yield name, f"{field} (before)", before, entry["at"]
                yield name, field, after, entry["at"]
    for mention in export.get("mentions", []):
        yield mention["record"], mention["field"], mention["value"], ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # A spreadsheet opening the download must not run what someone typed as a formula.
    return f"'{text}" if looks_like_formula(text) else text


def export_response(export: dict, fmt: str, name: str):
    """The export as a download: JSON as built, or CSV with one row per fact."""
    from django.http import HttpResponse, JsonResponse
    from django.utils.text import slugify

    filename = f"{slugify(name) or 'export'}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(export_csv(export), content_type="text/csv; charset=utf-8")
    else:
        response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
