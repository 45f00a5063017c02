"""Long reads whose memory stays flat with the number of rows, on every database.

`QuerySet.iterator()` streams on PostgreSQL (a server-side cursor) and SQLite, but on MariaDB
the driver (PyMySQL, like mysqlclient) reads the whole result into the process before the first
row is returned: a 1,000,000-row export would hold every row at once. Two ways out, one per need:

- `stream_values(queryset, chunk_size)`: the rows of a `values_list()` queryset in the
  queryset's own order. On MariaDB outside a transaction they come from a second connection with
  an unbuffered cursor (PyMySQL's `SSCursor`), so the process holds one chunk; anything else the
  caller asks meanwhile (the list columns of an export, for one) goes to the usual connection, which
  stays free. Inside a transaction the read stays on the transaction's connection (a second one
  would not see its uncommitted rows) and is buffered as before.
- `pk_pages(queryset, size)`: the records of a queryset in primary-key order, a page of `size`
  at a time by keyset (`pk > last`), each page one bounded query on the usual connection, so the
  queryset's `prefetch_related` runs per page and writes may come between pages. For reads that
  need model instances or run inside a transaction.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils.module_loading import import_string

_aliases = itertools.count()


def stream_values(queryset: QuerySet, chunk_size: int) -> Iterator[Any]:
    """The rows of a `values_list()` queryset, read `chunk_size` at a time (see the module)."""
    connection = connections[queryset.db]
    if connection.vendor != "mysql" or connection.in_atomic_block:
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    alias = f"{queryset.db}-stream-{next(_aliases)}"
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["OPTIONS"] = {
        **settings_dict.get("OPTIONS", {}),
        "cursorclass": import_string("pymysql.cursors.SSCursor"),
    }
    wrapper = type(connection)(settings_dict, alias)
    connections[alias] = wrapper
    try:
        yield from queryset.using(alias).iterator(chunk_size=chunk_size)
    finally:
        wrapper.close()
        del connections[alias]


def pk_pages(
    queryset: QuerySet, size: int, key: Callable[[Any], Any] = attrgetter("pk")
) -> Iterator[Any]:
    """The queryset's records in primary-key order, `size` at a time (see the module). `key`
    reads a record's primary key: by default `.pk`; for a `values_list()` queryset, the position
    of the key in its rows (`operator.itemgetter(i)`)."""
    ordered = queryset.order_by("pk")
    page = list(ordered[:size])
    while page:
        yield from page
        if len(page) < size:
            return
        page = list(ordered.filter(pk__gt=key(page[-1]))[:size])
