"""What kinds of records the import engine brings in, and what it asks each kind.

The engine's pages, jobs, task and forms know nothing of contributions: for everything that
depends on what the rows become they ask the job's kind (`ImportJob.kind`, a key of KINDS):
its column spec (the targets a column can feed, the header words, the proposed and remembered
mapping), the pass that previews or imports a file, who may import for which organization, and
the words its pages use. Use `kind_of(job)` (or `get_kind(name)`) to reach it.

To add a kind (partnerships, organizations, grants): write one module with its column spec, its
row reader and its staging and publish, build an `ImportKind` from them and `register` it from
`ImportsConfig.ready()` (hub/imports/apps.py); its staging model goes in hub/imports/models.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hub.core.tabular import Problem, TabularError, shorten

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from hub.core.tabular import Table
    from hub.directory.models import Organization
    from hub.imports.columns import Target
    from hub.imports.models import ImportJob

CONTRIBUTIONS = "contributions"  # the first kind, and ImportJob.kind's default


@dataclass(frozen=True)
class ImportKind:
    """Everything kind-specific the engine needs; one instance per kind, in KINDS."""

    name: str
    # the words its pages use: "Import a spreadsheet of %(records)s" and the like
    records_label: str | Promise
    # the column spec: the fields a column can feed, in the order the mapping page lists them
    targets: tuple[Target, ...]
    # every folded header word the kind knows (finds the header row below title rows)
    header_words: Callable[[], set[str]]
    # header -> target for the headers of a file: what the organization chose before, else a guess
    proposed_mapping: Callable[[list[str], Organization], dict[str, str]]
    # remember the mapping a person confirmed, for the organization's next file
    remember_mapping: Callable[..., None]
    # preview (write=False) or import (write=True) a file; the engine's run_import signature
    run: Callable[..., Any]
    # the organizations `user` may import for (the upload form's choices)
    organizations: Callable[[Any], QuerySet[Organization]]
    # the words of its pages: the upload page's heading, the mapping page's "Needed: ...", the
    # list the records appear in (a URL name) and its link's text, "N records were imported."
    heading: str | Promise = ""
    needed: str | Promise = ""
    list_url: str = ""
    see_records: str | Promise = ""
    done_message: Callable[[int], str] = str
    # what else `run` takes from a job (the record kinds: the choices made, the wiki page)
    job_options: Callable[[ImportJob], dict[str, Any]] = lambda job: {}

    @property
    def by_name(self) -> Mapping[str, Target]:
        return {target.name: target for target in self.targets}


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    """Add a kind to the registry (from an AppConfig.ready(); twice is a mistake)."""
    if kind.name in KINDS:
        raise ValueError(f"the import kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ImportKind:
    """The registered kind `name`; LookupError for a job of a kind this version does not know."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no import kind {name!r}") from None


def kind_of(job: ImportJob) -> ImportKind:
    return get_kind(job.kind)


SHOWN_CELLS = 8  # of the first row, in the refusal of a file without a header the hub knows


def unknown_header(
    kind: ImportKind, table: Table, mapping: Mapping[str, str]
) -> TabularError | None:
    """The refusal of a spreadsheet none of whose column names the kind knows, or None.

    With no known header word in its first rows, the table's header is a guess (the row with
    the most text: a data row, in a file without a header), and the guess maps no column (nor
    does what the organization chose for these headers before, `mapping`): checking it would
    read the rows above and below that guess as nothing, "0 rows, no problem". The refusal says
    what the kind needs and what the file's first row holds. A wiki table's header cells are
    not a guess; it is read as they say."""
    if not table.header_guessed or any(mapping.get(header) for header in table.headers):
        return None
    number, cells = table.first_row
    shown = [f"'{shorten(cell, 40)}'" for cell in cells if cell][:SHOWN_CELLS]
    if len([cell for cell in cells if cell]) > SHOWN_CELLS:
        shown.append("…")
    required = [t.name for t in kind.targets if t.required] or [t.name for t in kind.targets[:3]]
    return TabularError(
        Problem(
            _(
                "No row of the file looks like the header of a list of %(records)s: the hub "
                "knows none of its column names, so it cannot tell which column holds what. "
                "%(needed)s Columns it knows include %(columns)s. The first row (row %(row)s) "
                "holds: %(cells)s. Add a header row that names the columns, or rename them."
            )
            % {
                "records": kind.records_label,
                "needed": kind.needed,
                "columns": ", ".join(f"'{name}'" for name in required),
                "row": number,
                "cells": ", ".join(shown) or _("(nothing)"),
            }
        )
    )
