"""The database's own full-text search, one small adapter per vendor.

Each adapter says how its index is made (`install`, run by migration core.0004) and how a query
matches and ranks entries (`match`): a FROM clause, a WHERE condition and an ORDER BY expression,
all over the table `core_searchentry`, with the safe terms of hub/core/search/terms.py as
parameters. Nothing a person types reaches the SQL text: terms are parameters, and a term is
letters and digits only.

- SQLite: an FTS5 table with external content (the entries' rowids), kept by triggers; unicode61
  tokens without diacritics; ranked by bm25 with the title weighing 5 times the body.
- PostgreSQL: a tsvector column filled by a trigger with the configuration of the entry's language
  (english, german, french, spanish, arabic... when the server has it, `simple` otherwise), title
  weighted A and body B, a GIN index; a query asks every configuration at once (OR of their
  tsqueries), so a German entry is found by its stems and an unknown language by its words.
- MariaDB: an InnoDB FULLTEXT index on title and body, BOOLEAN MODE with every term required;
  terms InnoDB never indexes (shorter than its minimum or a stopword) are left out, except the
  last, which is a prefix.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_searchentry"
FTS_TABLE = "core_searchentry_fts"

# The PostgreSQL text-search configuration of a language (the code before any "-"); a language
# whose configuration the server lacks, or none at all, is searched word by word ("simple").
PG_CONFIGS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "sv": "swedish",
    "ru": "russian",
}


@dataclass(frozen=True)
class Match:
    source: str  # the FROM clause: the entries table, joined to the index where it is separate
    where: str  # the full-text condition
    rank: str  # ORDER BY this, ascending, for the best first
    params: list  # the WHERE's parameters, then the rank's


class SQLite:
    def install(self, cursor) -> None:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='{TABLE}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        insert = (
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);"  # noqa: S608 - constant names
        )
        delete = (
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) "  # noqa: S608 - constant names
            "VALUES ('delete', old.id, old.title, old.body);"
        )
        cursor.execute(f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN {insert} END")
        cursor.execute(f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN {delete} END")
        cursor.execute(
            f"CREATE TRIGGER {TABLE}_au AFTER UPDATE ON {TABLE} BEGIN {delete} {insert} END"
        )

    def uninstall(self, cursor) -> None:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def match(self, terms: list[str], prefix: bool) -> Match:
        # Each term a quoted FTS5 string (terms hold no quote), all required, the last a prefix.
        phrases = [f'"{term}"' for term in terms]
        if prefix:
            phrases[-1] += "*"
        return Match(
            source=f"{TABLE} JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = {TABLE}.id",
            where=f"{FTS_TABLE} MATCH %s",
            rank=f"bm25({FTS_TABLE}, 5.0, 1.0)",
            params=[" ".join(phrases)],
        )

    def optimize(self, cursor) -> None:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


class PostgreSQL:
    def install(self, cursor) -> None:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        present = {row[0] for row in cursor.fetchall()}
        cases = " ".join(
            f"WHEN '{code}' THEN '{config}'"
            for code, config in PG_CONFIGS.items()
            if config in present
        )
        cursor.execute(
            "CREATE FUNCTION core_search_config(language text) RETURNS regconfig AS $$ "
            f"SELECT (CASE split_part(lower(language), '-', 1) {cases} ELSE 'simple' END)::regconfig"
            " $$ LANGUAGE sql IMMUTABLE"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN document tsvector")
        cursor.execute(
            "CREATE FUNCTION core_search_document() RETURNS trigger AS $$ BEGIN "
            "NEW.document := setweight(to_tsvector(core_search_config(NEW.language), NEW.title), 'A')"
            " || setweight(to_tsvector(core_search_config(NEW.language), NEW.body), 'B'); "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER {TABLE}_document BEFORE INSERT OR UPDATE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION core_search_document()"
        )
        cursor.execute(f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)")

    def uninstall(self, cursor) -> None:
        cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_document ON {TABLE}")
        cursor.execute("DROP FUNCTION IF EXISTS core_search_document()")
        cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS document")
        cursor.execute("DROP FUNCTION IF EXISTS core_search_config(text)")

    @functools.cached_property
    def configs(self) -> list[str]:
        """The configurations the documents may use: those of PG_CONFIGS the server has (as the
        migration found them), and `simple`."""
        from django.db import connection

        wanted = list(dict.fromkeys(PG_CONFIGS.values()))
        with connection.cursor() as cursor:
            cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY(%s)", [wanted])
            present = {row[0] for row in cursor.fetchall()}
        return [config for config in wanted if config in present] + ["simple"]

    def match(self, terms: list[str], prefix: bool) -> Match:
        lexemes = [f"'{term}'" for term in terms]
        if prefix:
            lexemes[-1] += ":*"
        text = " & ".join(lexemes)
        # One tsquery: the OR of the query in every configuration the documents may use.
        query = " || ".join("to_tsquery(%s::regconfig, %s)" for _config in self.configs)
        params: list = []
        for config in self.configs:
            params += [config, text]
        return Match(
            source=TABLE,
            where=f"{TABLE}.document @@ ({query})",
            rank=f"-ts_rank({TABLE}.document, ({query}))",
            params=params + params,
        )

    def optimize(self, cursor) -> None:
        cursor.execute(f"ANALYZE {TABLE}")


class MariaDB:
    def install(self, cursor) -> None:
        cursor.execute(f"ALTER TABLE {TABLE} ADD FULLTEXT INDEX {TABLE}_fulltext (title, body)")

    def uninstall(self, cursor) -> None:
        cursor.execute(f"ALTER TABLE {TABLE} DROP INDEX {TABLE}_fulltext")

    def match(self, terms: list[str], prefix: bool) -> Match:
        minimum, stopwords = _innodb_limits()
        last = len(terms) - 1
        kept = [
            f"+{term}*" if index == last and prefix else f"+{term}"
            for index, term in enumerate(terms)
            if (index == last and prefix)
            or (len(term) >= minimum and term.lower() not in stopwords)
        ]
        if not kept:  # nothing InnoDB can look for
            return Match(source=TABLE, where="1 = 0", rank="0", params=[])
        text = " ".join(kept)
        against = f"MATCH({TABLE}.title, {TABLE}.body) AGAINST (%s IN BOOLEAN MODE)"
        return Match(source=TABLE, where=against, rank=f"-{against}", params=[text, text])

    def optimize(self, cursor) -> None:
        cursor.execute(f"ANALYZE TABLE {TABLE}")


@functools.cache
def _innodb_limits() -> tuple[int, frozenset[str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT @@innodb_ft_min_token_size, @@innodb_ft_enable_stopword")
        minimum, enabled = cursor.fetchone()
        words: frozenset[str] = frozenset()
        if enabled:
            cursor.execute("SELECT value FROM information_schema.INNODB_FT_DEFAULT_STOPWORD")
            words = frozenset(row[0].lower() for row in cursor.fetchall())
    return int(minimum), words


ADAPTERS: dict[str, SQLite | PostgreSQL | MariaDB] = {
    "sqlite": SQLite(),
    "postgresql": PostgreSQL(),
    "mysql": MariaDB(),
}


def adapter(connection: BaseDatabaseWrapper) -> SQLite | PostgreSQL | MariaDB:
    try:
        return ADAPTERS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"The hub has no full-text search on {connection.vendor}."
        ) from None
