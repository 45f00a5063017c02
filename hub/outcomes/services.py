"""Every write to outcome figures and their keys. Pages, the API, the Commons fetch and the
Dashboard import call these and nothing else.

Each is keyword-only, atomic, checks that the actor may edit the figure's partnership and records
history on the figure (its keys as a count, so a history never lists a private participant's name).
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.models import HistoryEntry
from hub.outcomes.models import Figure, FigureKey, MetricDefinition
from hub.partnerships.models import Partnership

FIGURE_FIELDS = [
    "definition",
    "period_start",
    "period_end",
    "value",
    "source",
    "source_ref",
    "taken_at",
    "note",
]
MAX_KEYS = 20000
_QID = re.compile(r"^[QqLlPpMm][1-9][0-9]*$")


def _refusal() -> str:
    return _("You cannot edit the outcomes of this partnership.")


def _title(text: str) -> str:
    """A wiki title as MediaWiki stores it: underscores as spaces, one space, first letter
    capital."""
    text = " ".join(text.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def normalize_key(kind: str, raw: str) -> str:
    """The ledger's form of one key, so the same file or person written two ways counts once.
    Raises ValidationError naming what is wrong with it."""
    text = str(raw).strip()
    if not text:
        raise ValidationError(_("A key is empty."), code="key")
    if kind == MetricDefinition.KeyKind.FILE:
        name = re.sub(r"^(file|image)\s*:", "", text, flags=re.IGNORECASE).strip()
        if not name:
            raise ValidationError(_("'%(key)s' is not a file title.") % {"key": text[:100]})
        return "File:" + _title(name)
    if kind == MetricDefinition.KeyKind.USER:
        return _title(re.sub(r"^user\s*:", "", text, flags=re.IGNORECASE))
    if kind == MetricDefinition.KeyKind.ITEM:
        if not _QID.match(text):
            raise ValidationError(
                _("'%(key)s' is not a Wikidata item id such as Q42.") % {"key": text[:100]}
            )
        return text.upper()
    if kind in (MetricDefinition.KeyKind.PAGE, MetricDefinition.KeyKind.REVISION):
        wiki, sep, rest = text.partition(":")
        if not sep or not wiki.strip() or not rest.strip():
            raise ValidationError(
                _("'%(key)s' needs its wiki first, as in enwiki:Title or enwiki:12345.")
                % {"key": text[:100]}
            )
        rest = rest.strip()
        if kind == MetricDefinition.KeyKind.REVISION and not rest.isdigit():
            raise ValidationError(
                _("'%(key)s' is not a revision id such as enwiki:12345.") % {"key": text[:100]}
            )
        return f"{wiki.strip().lower()}:{rest if rest.isdigit() else _title(rest)}"
    raise ValidationError(_("This metric is counted as a total; it takes no keys."), code="no_keys")


def normalize_keys(kind: str, raws: Iterable[str]) -> list[str]:
    """Distinct normalized keys in their first order; a bad one raises, naming it."""
    seen: dict[str, None] = {}
    for raw in raws:
        seen[normalize_key(kind, raw)] = None
        if len(seen) > MAX_KEYS:
            raise ValidationError(
                _("A figure holds at most %(max)s keys.") % {"max": MAX_KEYS}, code="keys"
            )
    return list(seen)


def _snapshot(figure: Figure, key_count: int) -> history.Snapshot:
    return history.snapshot(figure, FIGURE_FIELDS, keys=key_count)


def check_may_edit(actor, partnership: Partnership) -> None:
    """Raise PermissionDenied unless `actor` may edit `partnership`'s outcomes."""
    if not Partnership.objects.editable_by(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied(_refusal())


def _set_keys(figure: Figure, keys: list[str]) -> None:
    figure.keys.all().delete()
    FigureKey.objects.bulk_create(
        [FigureKey(figure=figure, kind=figure.definition.key_kind, key=k) for k in keys],
        batch_size=1000,
    )


def _prepared_keys(definition: MetricDefinition, keys: Iterable[str] | None) -> list[str] | None:
    if keys is None:
        return None
    keys = [k for k in keys if str(k).strip()]
    if keys and not definition.key_kind:
        raise ValidationError({"keys": _("This metric is counted as a total; it takes no keys.")})
    try:
        return normalize_keys(definition.key_kind, keys)
    except ValidationError as error:
        raise ValidationError({"keys": error.messages}) from error


def _value(value: Any, keys: list[str] | None) -> decimal.Decimal:
    if value in (None, ""):
        if not keys:
            raise ValidationError({"value": _("Give a value, or the keys to count.")})
        return decimal.Decimal(len(keys))
    try:
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation as error:
        raise ValidationError({"value": _("Give a number.")}) from error


@transaction.atomic
def figure_create(
    *,
    actor,
    partnership: Partnership,
    definition: MetricDefinition,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Any = None,
    source: str = Figure.Source.HAND,
    source_ref: str = "",
    taken_at: datetime.datetime | None = None,
    note: str = "",
    keys: Iterable[str] | None = None,
) -> Figure:
    """Record one figure of `partnership` measured with `definition`. `keys` (file titles, QIDs,
    user names, wiki:title or wiki:revision) go into the attribution ledger; without a value the
    figure's value is the number of distinct keys."""
    check_may_edit(actor, partnership)
    prepared = _prepared_keys(definition, keys)
    figure = Figure(
        partnership=partnership,
        definition=definition,
        period_start=period_start,
        period_end=period_end,
        value=_value(value, prepared),
        source=source,
        source_ref=source_ref.strip()[:300],
        taken_at=taken_at or timezone.now(),
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    figure.full_clean(exclude=["created_by"])
    figure.save()
    if prepared:
        _set_keys(figure, prepared)
    history.record(
        actor=actor,
        instance=figure,
        action=HistoryEntry.Action.CREATE,
        after=_snapshot(figure, len(prepared or [])),
    )
    return figure


@transaction.atomic
def figure_update(*, actor, figure: Figure, keys: Iterable[str] | None = None, **fields) -> Figure:
    """Change a figure's fields (FIGURE_FIELDS); `keys`, when given, replace its keys."""
    unknown = set(fields) - set(FIGURE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    figure = Figure.objects.select_for_update().select_related("definition").get(pk=figure.pk)
    check_may_edit(actor, figure.partnership)
    before = _snapshot(figure, figure.keys.count())
    for name, value in fields.items():
        setattr(figure, name, value)
    prepared = _prepared_keys(figure.definition, keys)
    if "value" in fields or prepared is not None:
        figure.value = _value(fields.get("value", figure.value), prepared)
    figure.full_clean(exclude=["created_by"])
    figure.save()
    if prepared is not None:
        _set_keys(figure, prepared)
    history.record(
        actor=actor,
        instance=figure,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=_snapshot(figure, figure.keys.count()),
    )
    return figure


@transaction.atomic
def figure_delete(*, actor, figure: Figure) -> None:
    """Remove a figure and its keys; its history stays."""
    check_may_edit(actor, figure.partnership)
    before = _snapshot(figure, figure.keys.count())
    history.record(
        actor=actor, instance=figure, action=HistoryEntry.Action.DELETE, before=before, after={}
    )
    figure.delete()
