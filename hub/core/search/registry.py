"""The kinds of records the search finds, and keeping their entries current.

A domain app registers each kind in its AppConfig.ready():

    search.register(SearchKind(
        name="partnership", label=_("Partnerships"), model=Partnership,
        visible=lambda user: Partnership.objects.visible_to(user),
        document=lambda p: {"title": p.title, "body": p.description, "language": ""},
        url=lambda pk: reverse("partnerships:detail", args=[pk]),
        organization_ids=lambda p: [p.lead_id],
    ))

and its services call `search.index(obj)` after a write, `search.unindex(obj)` before a delete,
and `search.index_many(Model, ids)` after a bulk write. `search_rebuild` rebuilds every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models

from hub.core.search.backends import adapter
from hub.core.search.models import SearchEntry, SearchEntryOrganization

TITLE_LENGTH = SearchEntry._meta.get_field("title").max_length or 300


@dataclass(frozen=True)
class SearchKind:
    name: str  # the `kind` filter's value and the index's key: short, stable, lowercase
    label: Any  # a lazy translation, plural: "Partnerships"
    model: type[models.Model]
    # The records `user` may see: the search keeps only entries whose object is among them.
    visible: Callable[[Any], models.QuerySet]
    # {"title": str, "body": str, "language": str} of a record (language may be "").
    document: Callable[[Any], dict[str, str]]
    url: Callable[[int], str]  # the page of the record with that id
    # The pages of many records at once ({id: url}), for a kind whose url needs a query: a page
    # of results then asks once per kind, not once per result.
    urls: Callable[[list[int]], dict[int, str]] | None = None
    organization_ids: Callable[[Any], Iterable[int]] = lambda obj: ()
    # What index_many and the rebuild do to the model's QuerySet first (select/prefetch what the
    # documents read), so that a thousand records take a few queries.
    prepare: Callable[[models.QuerySet], models.QuerySet] = lambda qs: qs
    order: int = field(default=100)  # where the kind's group is shown, the lowest first
    # Other models whose text this kind's documents hold: {Organization: ids -> partnership ids}.
    # Indexing those records indexes the records of this kind that name them again.
    follows: dict[type[models.Model], Callable[[list[int]], Iterable[int]]] = field(
        default_factory=dict
    )


_KINDS: dict[str, SearchKind] = {}
_BY_MODEL: dict[type[models.Model], SearchKind] = {}
_organization_names: list[Callable[[Iterable[int]], dict[int, str]]] = []


def register(kind: SearchKind) -> None:
    """Make a kind searchable (from an AppConfig.ready(); registering a name again replaces it)."""
    _KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind


def name_organizations_with(names: Callable[[Iterable[int]], dict[int, str]]) -> None:
    """How the organization facet names the organizations by id (the directory provides it)."""
    _organization_names[:] = [names]


def organization_names(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not _organization_names or not ids:
        return {}
    return _organization_names[0](ids)


def kinds() -> list[SearchKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def get_kind(name: str) -> SearchKind | None:
    return _KINDS.get(name)


def _kind_of(model: type[models.Model]) -> SearchKind | None:
    return _BY_MODEL.get(model)


def _entry(kind: SearchKind, obj: Any) -> SearchEntry:
    document = kind.document(obj)
    return SearchEntry(
        kind=kind.name,
        object_id=obj.pk,
        language=(document.get("language") or "")[:12],
        title=(document.get("title") or "")[:TITLE_LENGTH],
        body=document.get("body") or "",
    )


def _write(kind: SearchKind, objects: Sequence[Any]) -> None:
    ids = [obj.pk for obj in objects]
    SearchEntry.objects.filter(kind=kind.name, object_id__in=ids).delete()
    entries = SearchEntry.objects.bulk_create([_entry(kind, obj) for obj in objects])
    if connection.features.can_return_rows_from_bulk_insert:
        saved = entries
    else:  # MariaDB returns no ids from a bulk insert
        by_object = dict(
            SearchEntry.objects.filter(kind=kind.name, object_id__in=ids).values_list(
                "object_id", "pk"
            )
        )
        saved = [SearchEntry(pk=by_object[obj.pk], object_id=obj.pk) for obj in objects]
    links = [
        SearchEntryOrganization(entry_id=entry.pk, organization_id=org_id)
        for entry, obj in zip(saved, objects, strict=True)
        for org_id in dict.fromkeys(kind.organization_ids(obj))
    ]
    SearchEntryOrganization.objects.bulk_create(links)


def index(obj: models.Model) -> None:
    """Bring the entry of `obj` up to date (after a create or a change; call it in the service's
    transaction). A model no kind registers is ignored."""
    kind = _kind_of(type(obj))
    if kind is not None:
        index_many(type(obj), [obj.pk])


def unindex(obj: models.Model) -> None:
    """Remove the entry of `obj` (before or after deleting it)."""
    kind = _kind_of(type(obj))
    if kind is not None:
        unindex_many(type(obj), [obj.pk])


def index_many(model: type[models.Model], ids: Iterable[int], *, batch_size: int = 1000) -> int:
    """Bring the entries of the `model` records `ids` up to date: for bulk writes. An id whose
    record no longer exists loses its entry; the records of kinds that follow `model` (whose
    documents name these records) are indexed again. Returns the number of records indexed."""
    ids = list(dict.fromkeys(ids))
    kind = _kind_of(model)
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        for follower in list(_KINDS.values()):
            if model in follower.follows:
                named = follower.follows[model](chunk)
                done += index_many(follower.model, named, batch_size=batch_size)
        if kind is None:
            continue
        objects = list(kind.prepare(model._default_manager.filter(pk__in=chunk)))
        gone = set(chunk) - {obj.pk for obj in objects}
        if gone:
            SearchEntry.objects.filter(kind=kind.name, object_id__in=gone).delete()
        _write(kind, objects)
        done += len(objects)
    return done


def unindex_many(model: type[models.Model], ids: Iterable[int]) -> None:
    kind = _kind_of(model)
    if kind is not None:
        SearchEntry.objects.filter(kind=kind.name, object_id__in=list(ids)).delete()


def rebuild(names: Iterable[str] | None = None, *, batch_size: int = 2000) -> dict[str, int]:
    """Index every record of the kinds `names` (all kinds when None) from scratch; returns the
    number of entries per kind. Drops the entries of kinds no longer registered when rebuilding
    all."""
    chosen = kinds() if names is None else [_KINDS[name] for name in names]
    if names is None:
        SearchEntry.objects.exclude(kind__in=list(_KINDS)).delete()
    counts: dict[str, int] = {}
    for kind in chosen:
        SearchEntry.objects.filter(kind=kind.name).delete()
        counts[kind.name] = 0
        last = 0
        while True:
            qs = kind.model._default_manager.filter(pk__gt=last).order_by("pk")
            objects = list(kind.prepare(qs)[:batch_size])
            if not objects:
                break
            _write(kind, objects)
            counts[kind.name] += len(objects)
            last = objects[-1].pk
    with connection.cursor() as cursor:
        adapter(connection).optimize(cursor)
    return counts
