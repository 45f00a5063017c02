"""Running a search for a person: the entries that match and that they may see, a page of them,
and the counts by kind, language and organization.

Every statement joins the full-text match (hub/core/search/backends.py) to one permission
condition: each kind's entries only where the kind's `visible(user)` holds the object, as a
correlated EXISTS built by the ORM. Results, counts and facets all come from the same condition,
so none of them can count or show a record the person may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from hub.core.search import registry
from hub.core.search.backends import TABLE, adapter
from hub.core.search.models import SearchEntry
from hub.core.search.snippets import highlight, snippet
from hub.core.search.terms import Terms

PER_PAGE = 20
MAX_PAGE = 50  # deeper pages answer as the last one: nobody reads result 1,000
ORGANIZATION_FACETS = 10


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    language: str = ""
    organization: int | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    url: str
    language: str
    title: Any  # SafeString: escaped text with <mark>s
    snippet: Any
    plain_title: str


@dataclass
class Results:
    terms: Terms
    filters: Filters
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # the results with every filter
    page: int = 1
    per_page: int = PER_PAGE
    kinds: dict[str, int] = field(default_factory=dict)  # by kind, other filters applied
    languages: dict[str, int] = field(default_factory=dict)  # by language, other filters applied
    organizations: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, count

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // self.per_page)))


class _Permission:
    """The permission condition on `core_searchentry` for one person, compiled once per search:
    each kind's `visible(user)` as a correlated EXISTS built by the ORM (compiling those is most of
    a search's Python time, so the three statements of a page share them)."""

    def __init__(self, user) -> None:
        self.kinds: dict[str, tuple[str, list]] = {}
        for each in registry.kinds():
            seen = each.visible(user).order_by().filter(pk=OuterRef("object_id"))
            qs = SearchEntry.objects.filter(Exists(seen))
            compiler = qs.query.get_compiler(connection=connection)
            compiler.setup_query()
            sql, params = compiler.compile(qs.query.where)
            self.kinds[each.name] = (sql, list(params))

    def where(self, *, kind: str, language: str, organization: int | None) -> tuple[str, list]:
        """The condition and the filters, as SQL and parameters."""
        parts, params = [], []
        for name, (sql, own) in self.kinds.items():
            if kind and name != kind:
                continue
            parts.append(f"({TABLE}.kind = %s AND {sql})")
            params += [name, *own]
        if not parts:
            return "1 = 0", []
        where = f"({' OR '.join(parts)})"
        if language:
            where += f" AND {TABLE}.language = %s"
            params.append(language)
        if organization is not None:
            where += (
                " AND EXISTS (SELECT 1 FROM core_searchentryorganization o"  # noqa: S608
                f" WHERE o.entry_id = {TABLE}.id AND o.organization_id = %s)"
            )
            params.append(organization)
        return where, params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _urls(rows: list[tuple]) -> dict[tuple[str, int], str]:
    """The page of each result, by (kind, id); a kind that makes them in bulk is asked once."""
    ids: dict[str, list[int]] = {}
    for kind_name, object_id, *_rest in rows:
        ids.setdefault(kind_name, []).append(object_id)
    found: dict[tuple[str, int], str] = {}
    for kind_name, object_ids in ids.items():
        kind = registry.get_kind(kind_name)
        if kind is None:
            continue
        made = kind.urls(object_ids) if kind.urls else {pk: kind.url(pk) for pk in object_ids}
        found.update(((kind_name, pk), url) for pk, url in made.items())
    return found


def search(
    user, terms: Terms, filters: Filters = Filters(), *, page: int = 1, per_page: int = PER_PAGE
) -> Results:
    """The page `page` of what `user` finds with `terms` and `filters`. No terms find nothing."""
    results = Results(terms=terms, filters=filters, per_page=per_page)
    if not terms or (filters.kind and registry.get_kind(filters.kind) is None):
        return results
    match = adapter(connection).match(list(terms.words), terms.prefix)
    head = f"FROM {match.source} WHERE {match.where} AND "
    link = "core_searchentryorganization"
    linked_head = (
        f"FROM {match.source} JOIN {link} ON {link}.entry_id = {TABLE}.id WHERE {match.where} AND "
    )
    where_params = match.params[: match.where.count("%s")]
    rank_params = match.params[match.where.count("%s") :]

    permission = _Permission(user)
    # Kinds and languages in one statement: each facet counts with the other's filter.
    where, params = permission.where(kind="", language="", organization=filters.organization)
    for kind, language, count in _rows(
        f"SELECT {TABLE}.kind, {TABLE}.language, COUNT(*) {head}{where} "
        f"GROUP BY {TABLE}.kind, {TABLE}.language",
        where_params + params,
    ):
        if not filters.language or language == filters.language:
            results.kinds[kind] = results.kinds.get(kind, 0) + count
        if not filters.kind or kind == filters.kind:
            results.languages[language] = results.languages.get(language, 0) + count
    results.total = sum(
        count for kind, count in results.kinds.items() if not filters.kind or kind == filters.kind
    )
    if not results.total:
        return results

    where, params = permission.where(
        kind=filters.kind, language=filters.language, organization=None
    )
    counted = _rows(
        f"SELECT {link}.organization_id, COUNT(*) {linked_head}{where} "
        f"GROUP BY {link}.organization_id ORDER BY COUNT(*) DESC, {link}.organization_id "
        f"LIMIT {ORGANIZATION_FACETS}",
        where_params + params,
    )
    names = registry.organization_names(org_id for org_id, _count in counted)
    results.organizations = [
        (org_id, names[org_id], count) for org_id, count in counted if org_id in names
    ]

    results.page = max(1, min(page, results.pages))
    where, params = permission.where(
        kind=filters.kind, language=filters.language, organization=filters.organization
    )
    rows = _rows(
        f"SELECT {TABLE}.kind, {TABLE}.object_id, {TABLE}.language, {TABLE}.title, "
        f"{TABLE}.body {head}{where} ORDER BY {match.rank}, {TABLE}.id "
        f"LIMIT {int(per_page)} OFFSET {int((results.page - 1) * per_page)}",
        where_params + params + rank_params,
    )
    urls = _urls(rows)
    for kind_name, object_id, language, title, body in rows:
        url = urls.get((kind_name, object_id))
        if url is None:
            continue
        results.hits.append(
            Hit(
                kind=kind_name,
                object_id=object_id,
                url=url,
                language=language,
                title=highlight(title, terms),
                snippet=snippet(body, terms),
                plain_title=title,
            )
        )
    return results
