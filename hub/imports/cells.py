"""A row's cells as typed values for the record kinds' imports (hub/imports/records.py): the
readers of the kinds' own cell types (a choice in any shipped language, a list of codes) and
`Cells`, which converts each distinct text of a column once."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from hub.core.tabular import Problem, ValueProblem, fold, shorten
from hub.imports.columns import ColumnSpec, Target
from hub.imports.reading import CELL_MEMO
from hub.imports.rows import ImportOptions, _text, convert


def vocabulary_cell(words: Callable[[], dict[str, str]], choices) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        code = words().get(fold(_text(value)))
        if code is None:
            labels = ", ".join(str(label) for label in choices.labels)
            raise ValueProblem(_("is not one of: %(labels)s.") % {"labels": labels})
        return code

    return read


def code_list(words: Callable[[], dict[str, str]], choices) -> Callable[[Any], list[str]]:
    one = vocabulary_cell(words, choices)

    def read(value: Any) -> list[str]:
        # "Inhalte, Finanzierung", "content; funding", "contenu / plaidoyer"
        text = _text(value)
        parts = [p for p in re.split(r"\s*(?:;|,|/|\+|\band\b|\bund\b|\bet\b|\by\b)\s*", text) if p]
        if fold(text) in words():
            parts = [text]
        return list(dict.fromkeys(one(part) for part in parts))

    return read


class Cells:
    """Each mapped column's cells as typed values, each distinct text converted once."""

    def __init__(
        self,
        headers: list[str],
        mapping: Mapping[str, str],
        spec: ColumnSpec,
        readers: Mapping[str, Callable[[Any], Any]],
        options: ImportOptions,
    ) -> None:
        self.headers = headers
        self.options = options
        self.columns: list[tuple[int, Target, Callable[[Any], Any], dict[str, tuple]]] = []
        for index, header in enumerate(headers):
            target = spec.by_name.get(mapping.get(header, "") or "")
            if target is not None:
                reader = readers.get(target.kind) or functools.partial(
                    convert, target.kind, options=options
                )
                self.columns.append((index, target, reader, {}))

    def typed(self, number: int, values: list[Any], problems: list[Problem]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        width = len(values)
        for index, target, reader, memo in self.columns:
            raw = values[index] if index < width else None
            if raw is None or (type(raw) is str and not raw.strip()):
                continue
            cell = memo.get(raw) if type(raw) is str else None
            if cell is None:
                try:
                    cell = (reader(raw), None)
                except ValueProblem as exc:
                    cell = (None, str(exc))
                if type(raw) is str and len(memo) < CELL_MEMO:
                    memo[raw] = cell
            typed, problem = cell
            if problem is not None:
                problems.append(
                    Problem(problem, row=number, column=self.headers[index], value=shorten(raw))
                )
                continue
            if target.repeatable:
                items = typed if isinstance(typed, list) else [typed]
                data.setdefault(target.name, []).extend(items)
            else:
                data[target.name] = typed
        return data
