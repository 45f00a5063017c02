"""The registry's scenarios (issue 20): its export over every partnership, and a partnerships import.

- `export_partnerships` (and `_xlsx`): `/partnerships/export/` streamed whole by a staff user (who
  sees every partnership: 200,000 at M) while the server's memory is sampled; the floor is the SQL
  the export runs (its main query and the list queries of every chunk) on a raw cursor, written
  with csv. Measured by files.py's `measure_export`.
- `import_partnerships`: a CSV of 100,000 partnerships with 300,000 participations (the lead and
  two partners a row on average), in the registry export's columns (docs/exports.md), imported by
  `hub.imports.records.import_file(path, kind="partnerships", ...)` against the floor: the csv
  module plus one bulk insert of the same partnerships, participants, theme and project links
  and links through the driver (`floor_import_partnerships`). Each runs in a child process of its
  own, rolled back afterwards, as files.py's imports do.

Partners are named as people type them: mostly the directory's spelling, some with another case,
a leading "The " or without accents, and a few organizations the directory does not know.
"""

from __future__ import annotations

import csv
import datetime
import importlib
import json
import random
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.scenarios import Context, Target, scenario
from bench.scenarios.files import _receiver, measure, measure_export, measure_import

ROWS = 100_000
PARTICIPATIONS = 3 * ROWS  # the lead's and the partners'
# Partners a row: a mean of exactly 2, so that the lead and its partners make 3 a row.
PARTNER_PATTERN = (1, 1, 2, 2, 2, 2, 3, 3)
RESPELLED = 0.08  # partner mentions written differently from the directory's name
NEW = 0.01  # partner mentions of organizations the directory does not know
NEW_NAMES = 250  # distinct new organizations (each named in several rows)
FILE_VERSION = 1  # bump when the file's rows change: a file of another version is rewritten
HEADER = ["title", "description", "lead", "partners", "goals", "structure", "status", "scope",
          "start_date", "end_date", "projects", "themes", "links", "visibility"]  # fmt: skip
NOT_YET = "hub.imports.records.import_file is not there yet"

EXPORT_MEMORY = Target(
    "growth_mb", 30, "memory growth < 30 MB (200,000 partnerships at M)", "issue 20", "M"
)
IMPORT_RATIO = Target("ratio_seconds", 1.5, "≤ 1.5× the floor's time", "issue 20", "M")
IMPORT_MEMORY = Target("growth_mb", 150, "peak memory growth < 150 MB", "issue 20", "M")


# --- the file -------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """The name without its accents, as typed on a keyboard without them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def respell(name: str, how: int) -> str:
    """Another spelling of `name` that the directory's matching takes for the same one."""
    if how == 0:
        return name.upper()
    if how == 1:
        return name.lower()
    if how == 2:
        return f"The {name}"
    plain = _plain(name)
    return plain if plain != name else name.lower()


def _partner_pool(exclude: int) -> tuple[list[str], list[str]]:
    """Directory names a file may use (external ones, then movement ones), each the only one
    with its normalized form, so that every spelling means one organization."""
    from collections import Counter

    from hub.directory.matching import name_key
    from hub.directory.models import Organization

    rows = list(Organization.objects.exclude(pk=exclude).order_by("pk").values_list("name", "kind"))
    keys = Counter(name_key(name) for name, _kind in rows)
    movement = set(Organization.MOVEMENT_KINDS)
    usable = [
        (name, kind)
        for name, kind in rows
        # a ";" is doubled in a cell, a name ending in ")" reads as a role, "<" as a link
        if keys[name_key(name)] == 1 and not any(c in name for c in ";()<>")
    ]
    external = [name for name, kind in usable if kind not in movement]
    internal = [name for name, kind in usable if kind in movement]
    return external, internal


def partnership_rows(count: int, organization: Any, seed: int = 20) -> list[list[str]]:
    """`count` rows of the registry's columns led by `organization`, with 2 partners a row on
    average (exactly, when `count` is a multiple of 8), named from the benchmark's directory."""
    from bench.generate import (
        ENDED,
        GOAL_REGIONS,
        ROLES,
        SCOPES,
        STATUSES,
        VISIBILITY,
        Picker,
        Texts,
        weighted,
        zipf_weights,
    )
    from hub.directory.matching import name_key
    from hub.partnerships.models import GOAL_FIELDS, Theme, WikimediaProject

    rng = random.Random(seed)
    texts = Texts(rng)
    external, internal = _partner_pool(organization.pk)
    if len(external) < 10:
        raise RuntimeError("the dataset has too few organizations to name partners from")
    known = {name_key(name) for name in external + internal}
    new_names = [
        name
        for name in (f"{texts.words(2, 'latin')} Neuer Partner {n}" for n in range(NEW_NAMES))
        if name_key(name) not in known
    ]
    partners = Picker(rng, external, zipf_weights(len(external), 0.9))
    role = weighted(rng, ROLES)
    status = weighted(rng, STATUSES)
    scope = weighted(rng, SCOPES)
    visibility = weighted(rng, VISIBILITY)
    goal_region = weighted(rng, GOAL_REGIONS)
    themes = list(Theme.objects.order_by("pk").values_list("name", flat=True))
    theme = Picker(rng, themes, zipf_weights(len(themes), 1.0)) if themes else None
    projects = list(WikimediaProject.objects.order_by("pk").values_list("code", flat=True))
    goals = list(GOAL_FIELDS)
    lead = organization.short_code or organization.name
    counts = [PARTNER_PATTERN[i % len(PARTNER_PATTERN)] for i in range(count)]
    rng.shuffle(counts)
    rows = []
    for i, wanted in enumerate(counts):
        chosen: dict[str, str] = {}  # written name -> role, in the order they were added
        taken: set[str] = set()  # the directory's names, so that none comes twice
        while len(chosen) < wanted:
            draw = rng.random()
            if draw < NEW and new_names:
                name = written = rng.choice(new_names)
            else:
                pool_internal = internal and rng.random() < 0.05
                name = rng.choice(internal) if pool_internal else partners.one()
                written = respell(name, rng.randrange(4)) if draw < NEW + RESPELLED else name
            if name in taken:
                continue
            taken.add(name)
            chosen[written] = role.one()
        st = status.one()
        start = datetime.date(rng.randint(2004, 2026), rng.randint(1, 12), rng.randint(1, 28))
        end = None
        if st in ENDED:
            end = start + datetime.timedelta(days=rng.randint(30, 1500))
        elif rng.random() < 0.2:
            end = start + datetime.timedelta(days=rng.randint(180, 2500))
        flags = goal_region.one()
        picked_themes = (
            sorted({theme.one() for _ in range(rng.choice((0, 1, 1, 2)))}) if theme else []
        )
        picked_projects = rng.sample(projects, k=min(rng.choice((1, 1, 2)), len(projects)))
        links = [
            f"Report {n + 1} <https://example.org/partnerships/{i + 1}/{n + 1}>"
            for n in range(rng.choice((0, 0, 0, 1, 2)))
        ]
        rows.append(
            [
                texts.title(i + 1)[:200],
                texts.paragraph() if rng.random() < 0.5 else "",
                lead,
                "; ".join(f"{name} ({r})" for name, r in chosen.items()),
                "; ".join(goal.value for goal, on in zip(goals, flags, strict=True) if on),
                "complex" if len(chosen) > 1 else "simple",
                st,
                scope.one(),
                start.isoformat() if rng.random() < 0.97 else "",
                end.isoformat() if end and rng.random() < 0.97 else "",
                "; ".join(picked_projects),
                "; ".join(picked_themes),
                "; ".join(links),
                visibility.one(),
            ]
        )
    return rows


def make_partnerships_file(work: Path, count: int, organization: Any) -> Path:
    """The CSV of `count` partnerships for `organization` (written once per dataset, then reused),
    as the registry export writes it: UTF-8 with a BOM, CRLF lines."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"partnerships-v{FILE_VERSION}-{count}.csv"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(partnership_rows(count, organization))
    partial.replace(path)
    return path


# --- the floor ------------------------------------------------------------------------------------


def floor_import_partnerships(path: str, organization: Any) -> int:
    """Parse the file with csv and insert its partnerships, their participants (the lead and each
    partner), theme and project links and links with one bulk insert each, through the driver.
    Returns the partnerships written.

    Names are resolved as cheaply as the file allows: the directory's exact name, else its
    normalized key (hub.directory.matching, what the import matches by); a name found neither
    way is a new organization, inserted once. The file holds no ";" inside a value, so a cell is
    split with str.split.
    """
    from django.db import connection

    from bench.generate import next_id
    from bench.scenarios.files import bulk_insert
    from hub.directory.matching import name_key
    from hub.directory.models import Organization
    from hub.partnerships.models import (
        Participant,
        Partnership,
        PartnershipLink,
        Theme,
        WikimediaProject,
    )

    sqlite = connection.vendor == "sqlite"
    now: Any = datetime.datetime.now(datetime.UTC)
    if sqlite:
        now = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    directory = list(Organization.objects.values_list("pk", "name", "short_code", "kind"))
    exact = {name: pk for pk, name, _code, _kind in directory}
    codes = {code: pk for pk, _name, code, _kind in directory if code}
    movement = {pk for pk, _n, _c, kind in directory if kind in Organization.MOVEMENT_KINDS}
    keys: dict[str, int] | None = None  # built at the first name not spelled as the directory's
    themes = dict(Theme.objects.values_list("name", "pk"))
    projects = dict(WikimediaProject.objects.values_list("code", "pk"))
    new_orgs: list[tuple[Any, ...]] = []
    next_org = next_id(Organization)
    first = next_id(Partnership)
    partnerships: list[tuple[Any, ...]] = []
    participants: list[tuple[Any, ...]] = []
    theme_links: list[tuple[Any, ...]] = []
    project_links: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []

    def organization_pk(name: str) -> int:
        nonlocal keys, next_org
        pk = exact.get(name)
        if pk is not None:
            return pk
        if keys is None:
            keys = {name_key(known): pk for pk, known, _c, _k in directory}
        key = name_key(name)
        pk = keys.get(key)
        if pk is None:
            pk = keys[key] = next_org
            next_org += 1
            new_orgs.append((pk, name, "", None, "other", "active", "", "", "", "", "", "",
                             False, "", now, now, "", "", "", "{}"))  # fmt: skip
        return pk

    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for n, row in enumerate(reader):
            (title, description, lead, partners, goals, structure, status, scope, start, end,
             project_codes, theme_names, link_cells, visibility) = row  # fmt: skip
            pk = first + n
            lead_pk = codes.get(lead) or organization_pk(lead)
            participants.append((pk, lead_pk, "lead"))
            partner_pks = []
            for item in partners.split("; "):
                name, _, role = item.rpartition(" (")
                partner_pk = organization_pk(name)
                partner_pks.append(partner_pk)
                participants.append((pk, partner_pk, role[:-1]))
            chosen = set(goals.split("; "))
            partnerships.append(
                (
                    pk,
                    title,
                    description,
                    lead_pk,
                    "funding" in chosen,
                    "content" in chosen,
                    "advocacy" in chosen,
                    structure,
                    "internal" if all(p in movement for p in partner_pks) else "external",
                    "",
                    "",
                    status,
                    scope,
                    start or None,
                    end or None,
                    "",
                    visibility,
                    1,
                    now,
                    now,
                )
            )
            theme_links.extend((pk, themes[name]) for name in theme_names.split("; ") if name)
            project_links.extend((pk, projects[code]) for code in project_codes.split("; ") if code)
            for cell in link_cells.split("; ") if link_cells else ():
                label, _, url = cell.rpartition(" <")
                links.append((pk, label, url[:-1]))
    org_fields = ["id", "name", "local_name", "short_code", "kind", "status", "country", "city",
                  "recognized_on", "website", "wikidata_id", "description", "verified",
                  "source_note", "created_at", "updated_at", "ror_id", "isil", "viaf_id",
                  "wikidata_labels"]  # fmt: skip
    fields = ["id", "title", "description", "lead", "goal_funding", "goal_content",
              "goal_advocacy", "structure", "direction", "direction_override",
              "direction_override_reason", "status", "scope", "start_date", "end_date",
              "end_reason", "visibility", "version", "created_at", "updated_at"]  # fmt: skip
    bulk_insert(Organization, org_fields, new_orgs)
    bulk_insert(Partnership, fields, partnerships)
    bulk_insert(Participant, ["partnership", "organization", "role"], participants)
    bulk_insert(Partnership.themes.through, ["partnership", "theme"], theme_links)
    bulk_insert(Partnership.projects.through, ["partnership", "wikimediaproject"], project_links)
    bulk_insert(PartnershipLink, ["partnership", "label", "url"], links)
    return len(partnerships)


# --- in the child process -------------------------------------------------------------------------


def child_import(mode: str, path: str) -> dict[str, Any]:
    organization, actor = _receiver()

    def work() -> tuple[int, bool, str]:
        if mode != "hub":
            return floor_import_partnerships(path, organization), True, ""
        import_file = hub_import()
        if import_file is None:
            return 0, False, NOT_YET
        # A whole registry is larger than the web upload's limit: an operator imports it with the
        # command and MAX_UPLOAD_BYTES raised to the file's size (docs/import-records.md).
        from django.conf import settings

        settings.MAX_UPLOAD_BYTES = max(settings.MAX_UPLOAD_BYTES, Path(path).stat().st_size + 1)
        result = import_file(path, kind="partnerships", organization=organization, actor=actor)
        ok = bool(result.ok) and result.created > 0
        problem = "" if ok else "; ".join(result.messages()[:2]) or "import wrote no rows"
        return result.created, ok, problem

    return measure(work)


def hub_import() -> Callable[..., Any] | None:
    """`hub.imports.records.import_file`, or None while this build has none (looked up by name:
    the lead is writing it, and the scenario runs as soon as it lands)."""
    try:
        module = importlib.import_module("hub.imports.records")
    except ImportError:
        return None
    return getattr(module, "import_file", None)


# --- the scenarios --------------------------------------------------------------------------------


@scenario("import_partnerships", "Import 100,000 partnerships (300,000 participations) from CSV",
          kind="import", targets=[IMPORT_RATIO, IMPORT_MEMORY], group="registry")  # fmt: skip
def import_partnerships(ctx: Context) -> dict[str, Any]:
    count = 304 if ctx.quick else ROWS
    organization, _actor = _receiver()
    path = make_partnerships_file(Path(ctx.work_dir) / f"files-{ctx.size}", count, organization)
    result = measure_import(
        ctx,
        str(path),
        targets=[IMPORT_RATIO, IMPORT_MEMORY],
        module=__name__,
        hub_missing="" if hub_import() else NOT_YET,
    )
    result["notes"].insert(
        0,
        f"{count:,} partnerships with {count * 3:,} participations (the lead and 2 partners a "
        f"row on average) from CSV, rolled back after each measurement",
    )
    return result


def _export(ctx: Context, fmt: str) -> dict[str, Any]:
    from hub.partnerships.models import Partnership

    return measure_export(
        ctx,
        "partnerships:export",
        fmt,
        feature="the registry export",
        targets=[EXPORT_MEMORY],
        # The list columns query once per chunk of records: the floor runs every one of them.
        capture_chunks=None,
        rows=Partnership.objects.count(),
    )


@scenario("export_partnerships", "Export every partnership as CSV", kind="export",
          targets=[EXPORT_MEMORY], group="registry")  # fmt: skip
def export_partnerships(ctx: Context) -> dict[str, Any]:
    return _export(ctx, "csv")


@scenario("export_partnerships_xlsx", "Export every partnership as XLSX", kind="export",
          targets=[EXPORT_MEMORY], group="registry")  # fmt: skip
def export_partnerships_xlsx(ctx: Context) -> dict[str, Any]:
    return _export(ctx, "xlsx")


if __name__ == "__main__":
    import django

    django.setup()
    print("RESULT " + json.dumps(child_import(sys.argv[2], sys.argv[3]), default=str))
