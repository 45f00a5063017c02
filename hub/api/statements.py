"""Queries over the records of one page, compiled by the ORM once per page size.

A list answer reads the related rows of its page (participants, themes...) with queries whose only
parameters are the page's ids. Building and compiling such a query costs the ORM about a
millisecond of Python, several times what the database then takes; the SQL it produces depends
only on how many ids there are. `PageQuery` keeps that SQL per count (at most one per page size
the API allows) and runs it with the ids.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Stand-ins for the ids while compiling: no real id or constant of a page query is this large.
PROBE = 2**62


class PageQuery:
    """`build(ids)` gives a values_list QuerySet that depends on nothing but `ids` (no user, no
    date: its SQL and other parameters are kept for every later page of that size)."""

    def __init__(self, build: Callable[[list[int]], QuerySet], using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: dict[int, Compiled] = {}

    def _compile(self, n: int) -> "Compiled":
        probe = range(PROBE, PROBE + n)
        compiler = self.build(list(probe)).query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        slots: list[tuple[int | None, Any]] = [
            (p - PROBE, None) if type(p) is int and p in probe else (None, p) for p in params
        ]
        if sum(i is not None for i, _value in slots) < n:
            raise ValueError("A page query must use every id it is given.")
        columns = [expression for expression, _sql, _alias in compiler.select]
        return Compiled(sql, slots, compiler.get_converters(columns))

    def rows(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        """The rows the QuerySet of `ids` would give, converted as the ORM does."""
        if not ids:
            return []
        compiled = self._compiled.get(len(ids))
        if compiled is None:
            compiled = self._compiled[len(ids)] = self._compile(len(ids))
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [v if i is None else ids[i] for i, v in compiled.slots])
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in compiled.converters.items():
                for convert in functions:
                    values[position] = convert(values[position], expression, connection)
            converted.append(tuple(values))
        return converted


@dataclass(frozen=True)
class Compiled:
    sql: str
    # For each parameter: (the index of the id it takes, None) or (None, the query's own constant).
    slots: list[tuple[int | None, Any]]
    # The ORM's conversions of the columns that need one: {position: (functions, expression)}.
    converters: dict[int, tuple[list, Any]]
