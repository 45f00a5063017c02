"""The restore drill: back up a hub holding every main kind of record and a file, wipe it, restore
it, and find every table's rows and every file identical; and the refusals that change nothing."""

import datetime
import gzip
import hashlib
import io
import json
import shutil
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from conftest import PASSWORD
from hub.accounts.factories import MembershipFactory, UserFactory
from hub.accounts.system import system_actor
from hub.api.services import apitoken_create
from hub.core import backup
from hub.core.backup import backed_up_models, stored_fields
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.funding import services as funding
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import WikimediaProject
from hub.partnerships.services import ParticipantSpec, themes_from_names

# Not backed up: the migration state must already match, and the cache is rebuilt on demand.
NOT_BACKED_UP = {"django_migrations", "hub_cache"}
# SQLite's full-text index of the search entries (an FTS5 table and its shadow tables): the
# database's own index of core_searchentry, which is backed up; its triggers rebuild it on restore.
FULL_TEXT_PREFIX = "core_searchentry_fts"
EVIDENCE = "Dank für den Raum — Rechnung 42\n".encode() + bytes(range(256))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media):
    """A hub with every main model: people, organizations, a partnership with participants,
    themes, projects and a link, contributions (one with an evidence file), a rate, a grant with
    a deadline, an API token, history entries and a signed-in session."""
    affiliate = AffiliateFactory(name="Wikimedia Österreich", short_code="WMAT")
    manager = MembershipFactory(
        organization=affiliate, role="manager", user=UserFactory(username="anna")
    ).user
    museum = OrganizationFactory(name="Naturhistorisches Museum", country="AT")
    make_partnership(
        lead=affiliate,
        partners=[ParticipantSpec(museum)],
        actor=manager,
        title="Fotos der Sammlung",
        goals=["content", "advocacy"],
        start_date=datetime.date(2016, 11, 3),
        themes=themes_from_names(["GLAM", "Naturwissenschaft"]),
        # A flush by an earlier transactional test removes the rows the migration put there.
        projects=[
            WikimediaProject.objects.get_or_create(code=code, defaults={"name": code})[0]
            for code in ("commons", "wikidata")
        ],
        links=[("Projektseite", "https://commons.wikimedia.org/wiki/NHM")],
    )
    make_contribution(
        receiving_organization=affiliate,
        donor_organization=museum,
        actor=manager,
        value=Decimal("1234.56"),
        evidence_file=ContentFile(EVIDENCE, name="rechnung.pdf"),
    )
    make_contribution(receiving_organization=affiliate, donor_name="Café Anonym", actor=manager)
    make_rate(organization=affiliate, actor=manager)
    grant = make_grant(recipient=affiliate, actor=manager, amount=Decimal("5000.00"))
    funding.deadline_create(
        actor=system_actor(), grant=grant, due_date=datetime.date(2027, 3, 1), description="Report"
    )
    _, raw_token = apitoken_create(actor=manager, name="Bot", scope="read")
    assert Client().login(username="anna", password=PASSWORD)  # leaves a session row
    return {"token": raw_token}


def _tables() -> dict[str, list[tuple]]:
    """Every table's rows, sorted, read with raw SQL."""
    with connection.cursor() as cursor:
        names = {
            name
            for name in connection.introspection.table_names(cursor)
            if name not in NOT_BACKED_UP and not name.startswith(FULL_TEXT_PREFIX)
        }
        rows = {}
        for name in sorted(names):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608
            rows[name] = sorted(cursor.fetchall(), key=repr)
    return rows


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_drill_restores_identical_rows_and_files(world, media, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "PAGE", 2)  # every table of more than two rows read in pages
    archive = tmp_path / "hub.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    tables, files = _tables(), _files(media)
    assert {t for t, rows in tables.items() if rows} >= {
        "accounts_user", "directory_organization", "partnerships_partnership",
        "partnerships_participant", "partnerships_partnership_themes", "funding_inkindcontribution",
        "funding_grant", "funding_reportingdeadline", "core_historyentry", "api_apitoken",
        "django_session",
    }  # fmt: skip
    assert EVIDENCE in files.values()
    _wipe(media)
    assert not _tables()["accounts_user"]

    call_command("restore", str(archive), verbosity=0)

    assert _tables() == tables
    assert _files(media) == files
    assert Client().login(username="anna", password=PASSWORD)
    answer = Client().get(
        "/api/v1/partnerships", headers={"authorization": f"Bearer {world['token']}"}
    )
    assert answer.status_code == 200
    assert answer.json()["items"][0]["title"] == "Fotos der Sammlung"


def test_every_table_with_rows_is_backed_up(db):
    with connection.cursor() as cursor:
        # SQLite's own tables (sqlite_stat1, written by ANALYZE: manage.py analyze_db) are the
        # database's statistics, not the hub's data; a restore is followed by analyze_db.
        tables = {
            name
            for name in connection.introspection.table_names(cursor)
            if not name.startswith(("sqlite_", FULL_TEXT_PREFIX))
        }
    assert {model._meta.db_table for model in backed_up_models()} == tables - NOT_BACKED_UP
    # The restore inserts every value through a plain %s placeholder.
    assert not [
        f"{model._meta.label}.{field.name}"
        for model in backed_up_models()
        for field in stored_fields(model)
        if hasattr(field, "get_placeholder_sql")
    ]


def test_manifest_describes_the_archive(world, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["hub_version"] == "0.1.0"
    assert "partnerships.0002_wikimedia_projects" in manifest["migrations"]
    contributions = next(
        t for t in manifest["tables"] if t["model"] == "funding.inkindcontribution"
    )
    assert contributions["rows"] == 2
    [evidence] = manifest["files"]
    assert evidence["size"] == len(EVIDENCE)
    assert evidence["member"] in names
    assert archive.stat().st_mode & 0o077 == 0


def _rewrite(archive: Path, change, *, retype=None) -> Path:
    """A copy of the archive with its members passed through `change(name, data) -> data`
    (and, with `retype(info)`, their headers changed)."""
    members = []
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            reader = tar.extractfile(info)
            assert reader is not None
            members.append((info, reader.read()))
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(damaged, "w:gz") as tar:
        for info, data in members:
            data = change(info.name, data)
            info.size = len(data)
            if retype:
                retype(info)
            tar.addfile(info, io.BytesIO(data))
    return damaged


def _manifest_change(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


@pytest.fixture
def archive(world, tmp_path):
    path = tmp_path / "hub.tar.gz"
    call_command("backup", output=str(path), verbosity=0)
    return path


def _refused(archive: Path, media: Path, message: str, **options) -> None:
    tables, files = _tables(), _files(media)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), verbosity=0, **options)
    assert _tables() == tables
    assert _files(media) == files
    assert not list(media.glob(".re*"))


def test_a_database_holding_other_data_is_refused_without_yes(archive, media):
    OrganizationFactory(name="Made after the backup")
    _refused(archive, media, r"already holds data .*directory_organization.*--yes")


def test_yes_replaces_a_database_holding_other_data(archive, media):
    tables = _tables()
    OrganizationFactory(name="Made after the backup")
    (media / "later.txt").write_bytes(b"uploaded later")
    call_command("restore", str(archive), yes=True, verbosity=0)
    assert _tables() == tables
    assert "later.txt" not in _files(media)


def test_a_damaged_row_file_leaves_everything_as_it_was(archive, media):
    def flip(name, data):
        # The same length, so only the checksum can tell.
        return data.replace(b"Sammlung", b"Sammlunk") if name.startswith("db/") else data

    _refused(_rewrite(archive, flip), media, r"checksum of db/core\.historyentry\.jsonl", yes=True)


def test_a_damaged_file_leaves_everything_as_it_was(archive, media):
    def flip(name, data):
        return data[:-1] + b"!" if name.startswith("media/") else data

    _refused(_rewrite(archive, flip), media, r"checksum of media/inkind/", yes=True)


def test_a_truncated_archive_leaves_everything_as_it_was(archive, media):
    cut = archive.with_name("cut.tar.gz")
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    _refused(cut, media, "damaged or not a hub backup", yes=True)


def test_a_file_that_is_not_an_archive_is_refused(world, media, tmp_path):
    notes = tmp_path / "notes.tar.gz"
    notes.write_bytes(gzip.compress(b"not a tar file at all" * 100))
    _refused(notes, media, "damaged or not a hub backup", yes=True)


def test_another_migration_state_is_refused(archive, media):
    def drop_last(manifest):
        manifest["migrations"].remove("partnerships.0002_wikimedia_projects")
        manifest["migrations"].append("partnerships.0099_from_the_future")

    damaged = _rewrite(archive, _manifest_change(drop_last))
    _refused(
        damaged,
        media,
        r"another migration state .*0099_from_the_future, not applied here"
        r".*0002_wikimedia_projects, which it lacks",
        yes=True,
    )


def test_a_path_outside_media_root_is_refused(archive, media, tmp_path):
    def escape(manifest):
        manifest["files"][0]["member"] = "media/../../escaped.txt"

    _refused(_rewrite(archive, _manifest_change(escape)), media, "unsafe file path", yes=True)
    assert not (tmp_path / "escaped.txt").exists()


def test_a_member_the_manifest_does_not_list_is_refused(archive, media):
    def forget_file(manifest):
        manifest["files"] = []

    _refused(_rewrite(archive, _manifest_change(forget_file)), media, "does not list", yes=True)


def test_a_manifest_with_wrong_row_counts_is_refused(archive, media):
    def miscount(manifest):
        for table in manifest["tables"]:
            if table["model"] == "accounts.user":
                table["rows"] += 1

    _refused(
        _rewrite(archive, _manifest_change(miscount)),
        media,
        r"accounts\.user\.jsonl holds \d+ rows",
        yes=True,
    )


def test_a_database_holding_only_the_archives_rows_restores_without_yes(archive, media):
    tables = _tables()
    (media / "later.txt").write_bytes(b"a file the archive lacks is not a row")
    call_command("restore", str(archive), verbosity=0)
    assert _tables() == tables
    assert "later.txt" not in _files(media)


def test_a_member_named_like_the_staging_folder_is_refused(archive, media):
    def hide(manifest):
        manifest["files"][0]["member"] = "media/.restore-0/x.pdf"

    _refused(_rewrite(archive, _manifest_change(hide)), media, "unsafe file path", yes=True)


def test_a_link_in_place_of_a_file_is_refused(archive, media, tmp_path):
    def link(info):
        if info.name.startswith("media/"):
            info.type, info.linkname, info.size = tarfile.SYMTYPE, str(tmp_path / "secret"), 0

    linked = _rewrite(
        archive, lambda name, data: b"" if name.startswith("media/") else data, retype=link
    )
    _refused(linked, media, r"media/inkind/.* is not the file its manifest describes", yes=True)


def test_rows_the_database_refuses_leave_everything_as_it_was(archive, media):
    """A row twice, with a manifest made to match: the database's own refusal, told clearly."""
    with tarfile.open(archive) as tar:
        reader = tar.extractfile("db/accounts.user.jsonl")
        assert reader is not None
        doubled = reader.read() * 2

    def double(name, data):
        return doubled if name == "db/accounts.user.jsonl" else data

    def match(manifest):
        [users] = [t for t in manifest["tables"] if t["model"] == "accounts.user"]
        users.update(rows=users["rows"] * 2, size=len(doubled))
        users["sha256"] = hashlib.sha256(doubled).hexdigest()

    def both(name, data):
        return _manifest_change(match)(name, double(name, data))

    _refused(_rewrite(archive, both), media, r"damaged .*db/accounts\.user\.jsonl: ", yes=True)
