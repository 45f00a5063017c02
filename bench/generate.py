"""Build the benchmark's dataset: seeded, skewed like the real movement, through the hub's models.

    python -m bench.generate --size S [--db-url URL]

The real reference affiliates come first (through their loader and services); everything else is
generated from a fixed seed, so two runs of the same size and generator version hold the same rows.
Rows are written in bulk: table and column names come from the models' metadata, values are written
with one multi-row INSERT per batch (COPY on PostgreSQL for speed). Distributions are Zipf-like: a few
organizations lead thousands of partnerships, countries and themes have long tails, and texts mix
Latin with diacritics, Cyrillic, Arabic, Devanagari and CJK.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import itertools
import json
import os
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bench import GENERATOR_VERSION

SEED = 20161105  # the day of the 2016 partnerships workshop
BENCH_PASSWORD = "bench-password-not-a-secret"  # noqa: S105 - local benchmark accounts only
WRITERS = 8


@dataclass(frozen=True)
class Size:
    name: str
    organizations: int
    movement: int  # generated movement organizations (besides the reference ones)
    partnerships: int
    people: int
    contributions: int
    history: int
    themes: int


SIZES = {
    "XS": Size("XS", 120, 12, 400, 150, 1_000, 1_500, 30),
    "S": Size("S", 2_000, 150, 20_000, 6_000, 50_000, 100_000, 150),
    "M": Size("M", 100_000, 1_500, 200_000, 300_000, 1_000_000, 2_000_000, 600),
}

# Word pools in several scripts; invented, generic words (no movement facts).
WORDS = {
    "latin": [
        "Musée",
        "Bibliothèque",
        "Archiv",
        "Universität",
        "Städtische",
        "Galería",
        "Fundação",
        "Zürich",
        "Kraków",
        "São",
        "Göteborg",
        "Łódź",
        "Ñuñoa",
        "Brønnøy",
        "Île",
        "Århus",
        "Kulturerbe",
        "Écoles",
        "Národní",
        "Szépművészeti",
        "Bogotá",
        "Reykjavík",
        "Mérida",
        "Wiki",
        "Loves",
        "Monuments",
        "Earth",
        "Folklore",
        "Commons",
        "Edit-a-thon",
        "GLAM",
        "Heritage",
        "Science",
        "Women",
        "Archive",
        "Photo",
        "Digitization",
        "Education",
    ],
    "cyrillic": [
        "Музей",
        "Библиотека",
        "Архив",
        "Университет",
        "Наследие",
        "Фотографии",
        "Школа",
        "Культура",
        "Наука",
        "Область",
        "Город",
        "Память",
        "Вики",
        "Марафон",
    ],
    "arabic": [
        "متحف",
        "مكتبة",
        "أرشيف",
        "جامعة",
        "تراث",
        "صور",
        "مدرسة",
        "ثقافة",
        "علوم",
        "ويكي",
        "مدينة",
        "ذاكرة",
    ],
    "devanagari": [
        "संग्रहालय",
        "पुस्तकालय",
        "अभिलेखागार",
        "विश्वविद्यालय",
        "विरासत",
        "चित्र",
        "विद्यालय",
        "संस्कृति",
        "विज्ञान",
        "विकि",
        "नगर",
    ],
    "cjk": [
        "博物館",
        "図書館",
        "档案馆",
        "大学",
        "文化遗产",
        "写真",
        "学校",
        "文化",
        "科学",
        "维基",
        "서울",
        "도서관",
        "박물관",
        "기록",
    ],
}
SCRIPT_WEIGHTS = {"latin": 62, "cyrillic": 12, "arabic": 9, "devanagari": 7, "cjk": 10}
SEARCH_WORD = "Folklore"  # a word of moderate frequency, used by the text-search scenario

EXTERNAL_KINDS = [
    ("museum", 22), ("library", 14), ("university_research", 18), ("archive", 9),
    ("gallery", 3), ("school", 8), ("government", 7), ("intergovernmental", 1), ("ngo", 8),
    ("open_knowledge", 3), ("company", 4), ("funder", 1), ("media", 2),
]  # fmt: skip
MOVEMENT_KINDS = [("user_group", 70), ("chapter", 20), ("thematic_organization", 6), ("hub", 4)]
STATUSES = [
    ("active", 38), ("completed", 30), ("idea", 6), ("prospect", 8), ("paused", 4),
    ("ended_early", 8), ("declined", 6),
]  # fmt: skip
ENDED = {"completed", "ended_early", "declined"}
SCOPES = [("local", 45), ("national", 35), ("regional", 14), ("global", 6)]
VISIBILITY = [("public", 80), ("movement", 15), ("private", 5)]
ROLES = [("partner", 60), ("content_provider", 15), ("host", 10), ("funder", 8), ("supporter", 7)]
# (funding, content, advocacy): most serve content, few serve funding alone (the 2016 finding).
GOAL_REGIONS = [
    ((False, True, False), 30), ((False, False, True), 12), ((True, False, False), 4),
    ((False, True, True), 25), ((True, True, False), 10), ((True, False, True), 6),
    ((True, True, True), 13),
]  # fmt: skip
PARTNER_COUNTS = [(1, 45), (2, 28), (3, 15), (4, 8), (5, 4)]


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Picker:
    """Draws from a fixed list with fixed weights, fast (cumulative weights + bisect)."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.rng = rng
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1] + 0.0
        self.hi = len(self.cum) - 1

    def one(self) -> Any:
        # What rng.choices(items, cum_weights=cum, k=1)[0] does, without its per-call set-up:
        # the same draws, so the dataset is unchanged.
        return self.items[bisect_right(self.cum, self.rng.random() * self.total, 0, self.hi)]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


def zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Picker:
    return Picker(rng, [p[0] for p in pairs], [p[1] for p in pairs])


class Texts:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.script = weighted(rng, list(SCRIPT_WEIGHTS.items()))

    def words(self, n: int, script: str | None = None) -> str:
        pool = WORDS[script or self.script.one()]
        return " ".join(self.rng.choice(pool) for _ in range(n))

    def title(self, serial: int) -> str:
        text = self.words(self.rng.randint(2, 4))
        if self.rng.random() < 0.03:
            text = f"{SEARCH_WORD} {text}"
        return f"{text} {serial}"

    def paragraph(self) -> str:
        sentences = [
            self.words(self.rng.randint(5, 12)) + "." for _ in range(self.rng.randint(1, 4))
        ]
        return " ".join(sentences)


# --- writing rows -------------------------------------------------------------------------------


def _adapt(value: Any, vendor: str) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if vendor == "postgresql":
        return value
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal) and vendor == "sqlite":
        return str(value)
    return value


def _json_text(value: Any) -> Any:
    """A JSON field's value for COPY: its text (a string given is taken as JSON already)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def insert_rows(model: Any, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows (tuples in the order of `fields`) into the model's table; returns the count."""
    from django.db import connection

    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = [connection.ops.quote_name(meta.get_field(name).column) for name in fields]
    vendor = connection.vendor
    count = 0
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: COPY is several times faster than INSERT
            # write_row formats each row in psycopg's C code: building COPY text in Python
            # (escaping every value) took about a third of the generator's time at M.
            json_at = [
                i
                for i, name in enumerate(fields)
                if meta.get_field(name).get_internal_type() == "JSONField"
            ]
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = _json_text(row[i])
                    write(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list[list[Any]] = []
        for row in rows:
            batch.append([_adapt(v, vendor) for v in row])
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models: Sequence[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def bulk_tables() -> list[str]:
    """The tables the generator fills with many rows."""
    from hub.core.models import HistoryEntry
    from hub.directory.models import Organization, Person
    from hub.partnerships.models import Participant, Partnership

    models: list[Any] = [
        Organization,
        Partnership,
        Participant,
        Partnership.themes.through,
        Partnership.projects.through,
        Person,
        HistoryEntry,
    ]
    if (contribution := contribution_model()) is not None:
        models.append(contribution)
    return [model._meta.db_table for model in models]


def drop_secondary_indexes(tables: Sequence[str]) -> list[str]:
    """PostgreSQL: drop the indexes of `tables` that back no constraint; returns their definitions.

    Like pg_restore, the load builds each index once from sorted data afterwards instead of
    updating it row by row: with the indexes in place the server, not the generator, was the
    bottleneck at M (2,000,000 history entries with five indexes, 1,000,000 contributions with ten).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [[connection.ops.quote_name(t) if t != t.lower() else t for t in tables]],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


def create_indexes(definitions: Sequence[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


# --- the marker -----------------------------------------------------------------------------------

MARKER_TABLE = "bench_marker"


def schema_fingerprint() -> str:
    """The feature models the dataset fills. Migrations are applied to a reused dataset before a
    run (new tables start empty); a dataset made before a feature model existed is rebuilt."""
    return ",".join(optional_models())


def optional_models() -> list[str]:
    """Feature models that the generator fills once they exist on main."""
    found = []
    if contribution_model() is not None:
        found.append("contributions")
    if search_index() is not None:
        found.append("search")
    return found


def search_index() -> Any:
    try:
        from hub.core import search
    except ImportError:
        return None
    return search


def contribution_model() -> Any:
    try:
        from hub.funding import models as funding
    except ImportError:
        return None
    return getattr(funding, "InKindContribution", None)


def read_marker() -> dict[str, Any] | None:
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE name = %s", ["dataset"])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(data: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name VARCHAR(40) PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE name = %s", ["dataset"])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (name, value) VALUES (%s, %s)",
            ["dataset", json.dumps(data)],
        )


def expected_marker(size: str) -> dict[str, Any]:
    return {"size": size, "version": GENERATOR_VERSION, "schema": schema_fingerprint()}


# --- the dataset ----------------------------------------------------------------------------------


class Generator:
    def __init__(self, size: Size, seed: int = SEED) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.texts = Texts(self.rng)
        self.now = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
        self.counts: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        from django.db import transaction

        steps: list[tuple[str, Callable[[], None]]] = [
            ("reference", self.reference),
            ("organizations", self.organizations),
            ("users", self.users),
            ("themes", self.themes),
            ("partnerships", self.partnerships),
            ("people", self.people),
            ("history", self.history),
            ("contributions", self.contributions),
            ("search", self.search_index),
        ]
        from django.db import DatabaseError, connection

        bulk_load = False
        dropped: list[str] = []
        if connection.vendor == "postgresql":
            # Like pg_restore: the generated ids are consistent, so the foreign-key triggers are
            # skipped while loading (millions of deferred checks). Needs a superuser; else skipped.
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = replica")
                bulk_load = True
            except DatabaseError:
                log("not a superuser: loading with foreign-key checks")
        for name, step in steps:
            started = time.monotonic()
            with transaction.atomic():
                if name == "reference" and bulk_load:
                    with connection.cursor() as cursor:
                        cursor.execute("SET session_replication_role = DEFAULT")
                step()
                if name == "reference" and bulk_load:
                    with connection.cursor() as cursor:
                        cursor.execute("SET session_replication_role = replica")
            log(f"{name}: {time.monotonic() - started:.1f} s")
            if name == "reference" and connection.vendor == "postgresql":
                dropped = drop_secondary_indexes(bulk_tables())
        if bulk_load:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        if connection.vendor == "postgresql":
            started = time.monotonic()
            create_indexes(dropped)
            log(f"indexes ({len(dropped)}): {time.monotonic() - started:.1f} s")

        if connection.vendor == "postgresql" or connection.vendor == "sqlite":
            started = time.monotonic()
            with connection.cursor() as cursor:
                # On PostgreSQL also VACUUM (outside a transaction), as autovacuum would on a live
                # database: the visibility map lets index-only scans skip the table.
                vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
            log(f"analyze: {time.monotonic() - started:.1f} s")
        return self.counts

    def search_index(self) -> None:
        """The search index of everything generated (rows were written without the services)."""
        search = search_index()
        if search is not None:
            self.counts.update({f"search_{k}": v for k, v in search.rebuild().items()})

    # organizations -----------------------------------------------------------------------------

    def reference(self) -> None:
        from hub.directory.reference import load_reference

        load_reference()

    def organizations(self) -> None:
        from django_countries import countries

        from hub.directory.models import Organization

        rng = self.rng
        codes = [code for code, _name in countries]
        rng.shuffle(codes)
        self.country = Picker(rng, codes, zipf_weights(len(codes), 1.1))
        existing = Organization.objects.count()
        total = max(self.size.organizations - existing, 0)
        movement = min(self.size.movement, total)
        first = next_id(Organization)
        external_kind = weighted(rng, EXTERNAL_KINDS)
        movement_kind = weighted(rng, MOVEMENT_KINDS)
        now = self.now

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(total):
                is_movement = i < movement
                kind = movement_kind.one() if is_movement else external_kind.one()
                country = self.country.one()
                name = f"{self.texts.words(rng.randint(1, 3))} {kind.replace('_', ' ')} {i + 1}"
                yield (
                    first + i,
                    name[:200],
                    self.texts.words(2) if rng.random() < 0.3 else "",
                    f"BX{i + 1}" if is_movement else None,
                    kind,
                    "active" if rng.random() < 0.93 else "former",
                    country,
                    self.texts.words(1, "latin") if rng.random() < 0.6 else "",
                    "",
                    f"https://example-{i + 1}.org" if rng.random() < 0.5 else "",
                    "",
                    self.texts.paragraph() if rng.random() < 0.4 else "",
                    True,
                    "generated for the benchmark",
                    now,
                    now,
                    "",
                    "",
                    "",
                    {},
                )

        fields = [
            "id", "name", "local_name", "short_code", "kind", "status", "country", "city",
            "recognized_on", "website", "wikidata_id", "description", "verified", "source_note",
            "created_at", "updated_at", "ror_id", "isil", "viaf_id", "wikidata_labels",
        ]  # fmt: skip
        self.counts["organizations"] = insert_rows(Organization, fields, rows())
        reset_sequences([Organization])
        movement_ids = list(
            Organization.objects.movement().order_by("pk").values_list("pk", flat=True)
        )
        external_ids = list(
            Organization.objects.external().order_by("pk").values_list("pk", flat=True)
        )
        rng.shuffle(movement_ids)
        rng.shuffle(external_ids)
        # Zipf: the first few of each shuffled list lead or join thousands of partnerships.
        self.leads = Picker(rng, movement_ids, zipf_weights(len(movement_ids), 1.1))
        self.partners = Picker(rng, external_ids, zipf_weights(len(external_ids), 0.9))
        self.movement_ids = movement_ids
        self.external_ids = external_ids
        self.org_country = dict(Organization.objects.values_list("pk", "country"))

    def users(self) -> None:
        """Editors of the busiest lead organizations, for the writers of the mixed scenario."""
        from django.contrib.auth.hashers import make_password

        from hub.accounts.models import Membership, User

        password = make_password(BENCH_PASSWORD)
        top = self.leads.items[:WRITERS]
        for index, org_id in enumerate(top, start=1):
            user, _created = User.objects.get_or_create(
                username=f"bench-editor-{index}", defaults={"password": password}
            )
            Membership.objects.get_or_create(
                user=user, organization_id=org_id, defaults={"role": "editor"}
            )
        self.counts["users"] = len(top)

    def themes(self) -> None:
        from django.utils.text import slugify

        from hub.partnerships.models import Theme, WikimediaProject

        first = next_id(Theme)
        seen: set[str] = set(Theme.objects.values_list("slug", flat=True))
        rows: list[tuple[int, str, str]] = []
        for i in range(self.size.themes):
            name = f"{self.texts.words(self.rng.randint(1, 2))} {i + 1}"[:80]
            slug = slugify(name, allow_unicode=True)[:80] or f"theme-{i + 1}"
            if slug in seen:
                continue
            seen.add(slug)
            rows.append((first + len(rows), name, slug))
        insert_rows(Theme, ["id", "name", "slug"], rows)
        reset_sequences([Theme])
        ids = [row[0] for row in rows]
        self.theme = Picker(self.rng, ids, zipf_weights(len(ids), 1.0))
        self.project_ids = list(WikimediaProject.objects.values_list("pk", flat=True))
        self.counts["themes"] = len(rows)

    # partnerships ------------------------------------------------------------------------------

    def partnerships(self) -> None:
        from hub.partnerships.models import Participant, Partnership

        rng = self.rng
        size = self.size
        status = weighted(rng, STATUSES)
        scope = weighted(rng, SCOPES)
        visibility = weighted(rng, VISIBILITY)
        role = weighted(rng, ROLES)
        partner_count = weighted(rng, PARTNER_COUNTS)
        goal_region = weighted(rng, GOAL_REGIONS)
        years = list(range(2004, 2027))
        year = Picker(rng, years, [1.0 + (y - 2004) ** 1.3 for y in years])
        movement_ids = self.movement_ids
        first = next_id(Partnership)
        participants: list[tuple[int, int, str]] = []
        themes: list[tuple[int, int]] = []
        projects: list[tuple[int, int]] = []
        self.partnership_titles: dict[int, str] = {}
        now = self.now

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(size.partnerships):
                pk = first + i
                lead = self.leads.one()
                chosen: dict[int, str] = {}
                internal = rng.random() < 0.05
                for _ in range(partner_count.one()):
                    org = rng.choice(movement_ids) if internal else self.partners.one()
                    if org != lead and org not in chosen:
                        chosen[org] = role.one()
                if not chosen:
                    chosen[movement_ids[0] if lead != movement_ids[0] else movement_ids[1]] = (
                        "partner"
                    )
                participants.append((pk, lead, "lead"))
                participants.extend((pk, org, r) for org, r in chosen.items())
                for theme in set(self.theme.many(rng.choice((0, 1, 1, 2, 2, 3)))):
                    themes.append((pk, theme))
                picked = min(rng.choice((1, 1, 2, 3)), len(self.project_ids))
                for project in rng.sample(self.project_ids, k=picked):
                    projects.append((pk, project))
                funding, content, advocacy = goal_region.one()
                st = status.one()
                start = datetime.date(year.one(), rng.randint(1, 12), rng.randint(1, 28))
                end = None
                if st in ENDED:
                    end = start + datetime.timedelta(days=rng.randint(30, 1500))
                elif rng.random() < 0.2:
                    end = start + datetime.timedelta(days=rng.randint(180, 2500))
                title = self.texts.title(pk)
                self.partnership_titles[pk] = title
                direction = (
                    "internal" if all(o in self._movement_set for o in chosen) else "external"
                )
                yield (
                    pk,
                    title[:200],
                    self.texts.paragraph() if rng.random() < 0.7 else "",
                    lead,
                    funding,
                    content,
                    advocacy,
                    "complex" if len(chosen) > 1 or rng.random() < 0.35 else "simple",
                    direction,
                    "",
                    "",
                    st,
                    scope.one(),
                    start if rng.random() < 0.97 else None,
                    end if rng.random() < 0.97 else None,
                    self.texts.words(6) if st in ENDED and rng.random() < 0.5 else "",
                    visibility.one(),
                    1,
                    now,
                    now,
                )

        self._movement_set = set(movement_ids)
        fields = [
            "id", "title", "description", "lead", "goal_funding", "goal_content", "goal_advocacy",
            "structure", "direction", "direction_override", "direction_override_reason", "status",
            "scope", "start_date", "end_date", "end_reason", "visibility", "version",
            "created_at", "updated_at",
        ]  # fmt: skip
        self.counts["partnerships"] = insert_rows(Partnership, fields, rows())
        first_participant = next_id(Participant)
        self.counts["participants"] = insert_rows(
            Participant,
            ["id", "partnership", "organization", "role"],
            ((first_participant + n, *row) for n, row in enumerate(participants)),
        )
        self.participants = participants
        through_themes = Partnership.themes.through
        through_projects = Partnership.projects.through
        insert_rows(through_themes, ["partnership", "theme"], themes)
        insert_rows(through_projects, ["partnership", "wikimediaproject"], projects)
        reset_sequences([Partnership, Participant, through_themes, through_projects])

    def people(self) -> None:
        from hub.directory.models import Person

        rng = self.rng
        first = next_id(Person)
        roles = ["Curator", "Director", "Librarian", "Archivist", "Professor", "Коордиатор", "مدير"]

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(self.size.people):
                yield (
                    first + i,
                    self.partners.one(),
                    self.leads.one(),
                    self.texts.words(2)[:200],
                    rng.choice(roles),
                    f"person{i + 1}@example.org",
                    "",
                    "Agreed by e-mail to be recorded (generated).",
                    rng.random() < 0.05,
                    self.now,
                )

        fields = [
            "id", "organization", "steward", "name", "role", "email", "phone", "consent_note",
            "archived", "created_at",
        ]  # fmt: skip
        self.counts["people"] = insert_rows(Person, fields, rows())
        reset_sequences([Person])

    def history(self) -> None:
        """One 'created' entry per partnership, the rest as changes spread over the busiest ones."""
        from django.contrib.contenttypes.models import ContentType

        from hub.accounts.system import system_actor
        from hub.core.models import HistoryEntry
        from hub.partnerships.models import Partnership

        rng = self.rng
        ct = ContentType.objects.get_for_model(Partnership).pk
        actor = system_actor().pk
        titles = self.partnership_titles
        ids = list(titles)
        hot = Picker(rng, ids, zipf_weights(len(ids), 0.6))
        statuses = [label for label, _w in STATUSES]
        first = next_id(HistoryEntry)
        total = self.size.history
        base = self.now - datetime.timedelta(days=3650)

        # The few status changes are written as JSON once each, not 2,000,000 times.
        status_changes = {
            (a, b): json.dumps({"status": [a, b]}, ensure_ascii=False)
            for a in statuses
            for b in statuses
        }

        def rows() -> Iterator[tuple[Any, ...]]:
            for n in range(total):
                if n < len(ids):
                    pk, action = ids[n], "create"
                    changes: Any = {"title": [None, titles[pk]]}
                else:
                    pk, action = hot.one(), "change"
                    changes = status_changes[rng.choice(statuses), rng.choice(statuses)]
                at = base + datetime.timedelta(seconds=rng.randint(0, 3650 * 86400))
                yield (first + n, ct, pk, titles[pk][:300], action, actor, at, changes)

        fields = [
            "id",
            "content_type",
            "object_id",
            "object_repr",
            "action",
            "actor",
            "at",
            "changes",
        ]
        self.counts["history"] = insert_rows(HistoryEntry, fields, rows())
        reset_sequences([HistoryEntry])

    def contributions(self) -> None:
        model = contribution_model()
        if model is None:
            log("contributions: the funding models are not on main yet; skipped")
            return
        from bench.funding_data import generate_contributions

        self.counts["contributions"] = generate_contributions(self, model)


def database_url(db: str, size: str) -> str:
    """The benchmark's own database for a backend and size (never the developer's own)."""
    name = f"hub_bench_{size.lower()}"
    if db == "sqlite":
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent / "data" / "bench"
        root.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{root / (name + '.sqlite3')}"
    if db == "postgres":
        return (
            os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432") + "/" + name
        )
    if db == "mariadb":
        return os.environ.get("BENCH_MARIADB_URL", "mysql://root@127.0.0.1:3306") + "/" + name
    raise ValueError(f"unknown database {db!r}: sqlite, postgres or mariadb")


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database named in `url` (its own database, never another)."""
    import dj_database_url

    cfg = dj_database_url.parse(url)
    name = cfg["NAME"]
    if not str(name).startswith("hub_bench_") and "hub_bench_" not in str(name):
        raise SystemExit(f"refusing to recreate {name!r}: not a benchmark database")
    engine = cfg["ENGINE"]
    if engine.endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            path = f"{name}{suffix}"
            if os.path.exists(path):
                os.remove(path)
    elif engine.endswith("postgresql"):
        import psycopg

        with psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=int(cfg["PORT"] or 5432),
            user=cfg["USER"] or "postgres",
            password=cfg.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    elif engine.endswith("mysql"):
        import pymysql

        conn = pymysql.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=int(cfg["PORT"] or 3306),
            user=cfg["USER"] or "root",
            password=cfg.get("PASSWORD") or "",
        )
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        conn.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()


def _matches(found: dict[str, Any] | None, size: str) -> bool:
    wanted = expected_marker(size)
    return bool(found) and all(found.get(k) == v for k, v in wanted.items())  # type: ignore[union-attr]


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def generate_here(size: str) -> dict[str, Any]:
    """Fill the current (migrated, empty) database with the dataset of `size` and mark it."""
    started = time.monotonic()
    counts = Generator(SIZES[size]).run()
    marker = {
        **expected_marker(size),
        "counts": counts,
        "seconds": round(time.monotonic() - started, 1),
    }
    write_marker(marker)
    log(f"generated {size} in {marker['seconds']} s: {counts}")
    return marker


def prepare(db_url: str, size: str, *, force: bool = False) -> dict[str, Any]:
    """Make sure `db_url` holds the current dataset of `size`; otherwise rebuild it from scratch.

    The marker table records the size, the generator version and the schema (applied migrations and
    optional feature models), so a database made before a feature landed is rebuilt, never reused.
    """
    setup_django(db_url)
    from django.db import connection

    if not force:
        try:
            _migrate()
            found = read_marker()
            if _matches(found, size):
                log(f"reusing the {size} dataset (generator version {GENERATOR_VERSION})")
                return found  # type: ignore[return-value]
        except Exception as exc:  # an unusable benchmark database is rebuilt below
            log(f"benchmark database unusable ({exc}); rebuilding")
    connection.close()
    recreate_database(db_url)
    _migrate()
    # Not part of the stored marker: tells the runner that this run paid for the generation.
    return {**generate_here(size), "generated_now": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--db", choices=["sqlite", "postgres", "mariadb"], default="sqlite")
    parser.add_argument("--db-url", help="a database URL (its name must contain hub_bench_)")
    parser.add_argument("--force", action="store_true", help="rebuild even if the marker matches")
    args = parser.parse_args(argv)
    url = args.db_url or database_url(args.db, args.size)
    marker = prepare(url, args.size, force=args.force)
    print(json.dumps(marker, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
