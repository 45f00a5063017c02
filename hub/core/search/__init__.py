"""One search over every kind of record, on the database's own full-text search (docs/search.md).

Domain apps register kinds (`register(SearchKind(...))`) and keep their entries current from their
services (`index`, `unindex`, `index_many`); the page and the API call `search`.
"""

from hub.core.search.registry import (
    SearchKind,
    get_kind,
    index,
    index_many,
    kinds,
    name_organizations_with,
    rebuild,
    register,
    unindex,
    unindex_many,
)

__all__ = [
    "SearchKind",
    "get_kind",
    "index",
    "index_many",
    "kinds",
    "name_organizations_with",
    "rebuild",
    "register",
    "unindex",
    "unindex_many",
]
