"""What apps above the registry add to its list: a filter and a column each, without this app
importing them. An upper app registers a `ListExtension` in its AppConfig.ready(); the list page
(and its count) reads every extension in its one query, so its query count stays fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet


@dataclass(frozen=True)
class ListExtension:
    """`name`: the filter's query parameter and form field (`field()` makes it);
    `narrow(qs, user, value)`: the rows when the filter has `value`;
    `annotate(qs, user)`: the rows with what `cell_template` reads of each (`p` in it);
    `header`: the column's heading (lazy text), shown when `shown(user)`."""

    name: str
    field: Callable[[], forms.Field]
    narrow: Callable[[QuerySet, Any, Any], QuerySet]
    annotate: Callable[[QuerySet, Any], QuerySet]
    header: Any
    cell_template: str
    shown: Callable[[Any], bool] = lambda user: True


_EXTENSIONS: list[ListExtension] = []


def register(extension: ListExtension) -> None:
    if all(e.name != extension.name for e in _EXTENSIONS):
        _EXTENSIONS.append(extension)


def extensions() -> list[ListExtension]:
    return list(_EXTENSIONS)


def add_fields(form: forms.Form) -> None:
    for extension in _EXTENSIONS:
        form.fields[extension.name] = extension.field()


def narrow(qs: QuerySet, user, values: dict[str, Any]) -> QuerySet:
    for extension in _EXTENSIONS:
        if values.get(extension.name) not in (None, "", [], False):
            qs = extension.narrow(qs, user, values[extension.name])
    return qs


def annotate(qs: QuerySet, user) -> QuerySet:
    for extension in _EXTENSIONS:
        qs = extension.annotate(qs, user)
    return qs


def columns(user) -> list[ListExtension]:
    return [e for e in _EXTENSIONS if e.shown(user)]
