"""What XLSX and ODS reading share: a sheet as the workbook lists it, and merged cells filled in."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from hub.core.tabular.files import Limits, _fail

# A sheet's raw rows, (row number, cell values), from a generator that can be closed early
RawRows = Generator[tuple[int, list[Any]], None, None]


@dataclass(frozen=True)
class SheetInfo:
    """One sheet as the workbook lists it. Only worksheets hold a table of cells; chart (and
    dialog or macro) sheets do not, and hidden sheets are not read unless asked for by name."""

    name: str
    index: int
    worksheet: bool = True
    hidden: bool = False
    member: str = ""  # XLSX: the part of the archive that holds the sheet's XML


class _Merger:
    """Fills each merged range with the value of its top-left cell while rows stream past."""

    def __init__(self, merges: Iterable[tuple[int, int, int, int]], limits: Limits):
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        self.top: dict[tuple[int, int, int, int], Any] = {}
        self.max_columns = limits.max_columns
        area = 0  # each row a merge spans costs a look at it, each cell a copy
        for merge in merges:
            r1, c1, r2, c2 = merge
            if r2 < r1 or c2 < c1 or c2 - c1 > self.max_columns:
                continue
            area += (r2 - r1 + 1) * (c2 - c1 + 1)
            self.by_row.setdefault(r1, []).append(merge)
        if area > limits.max_cells:
            raise _fail(
                _(
                    "The sheet's merged cells cover %(n)s cells; the hub reads at most %(max)s. "
                    "Unmerge them and save the file again."
                )
                % {"n": f"{area:,}", "max": f"{limits.max_cells:,}"}
            )

    def apply(self, number: int, values: list[Any]) -> list[Any]:
        if not self.by_row and not self.top:
            return values
        for merge in self.by_row.pop(number, ()):
            _r1, c1, _r2, _c2 = merge
            value = values[c1] if c1 < len(values) else None
            self.top[merge] = value
        finished = []
        for merge, value in self.top.items():
            _r1, c1, r2, c2 = merge
            if number > r2:
                finished.append(merge)
                continue
            if value is None or value == "":
                continue
            if len(values) <= c2:
                values = list(values) + [None] * (c2 + 1 - len(values))
            for col in range(c1, c2 + 1):
                values[col] = value
        for merge in finished:
            del self.top[merge]
        return values
