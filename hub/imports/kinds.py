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

if TYPE_CHECKING:
    from django.db.models import QuerySet

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
