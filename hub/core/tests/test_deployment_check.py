"""The deployment check (`make check-deployment`) run as an operator runs it: a process with an
environment, against a real database."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from hub.core.testing.processes import database_url
from hub.deployment import environment_findings, toolsdb_url

SECRET = "k" * 50
COMPLETE = {
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "hub.example.org",
    "SITE_URL": "https://hub.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://hub.example.org",
    "EMAIL_HOST": "mail.example.org",
}


def _check(env: dict[str, str]) -> tuple[int, str]:
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    done = subprocess.run(
        [sys.executable, "-m", "hub.deployment"],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not done.stderr.strip() or "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


def _missing(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("MISSING")}


def test_an_empty_environment_is_refused_naming_the_secret_the_hosts_the_database_and_the_site():
    status, output = _check({})
    assert status == 1
    assert _missing(output) == {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"}


def test_each_missing_variable_is_named_alone():
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        env = {**COMPLETE, "DATABASE_URL": "sqlite:////nowhere/hub.sqlite3"}
        del env[name]
        assert {f.name for f in environment_findings(env) if f.needed} == {name}


def test_debug_a_short_secret_and_a_lone_oauth_id_are_refused():
    env = {
        **COMPLETE,
        "DATABASE_URL": "sqlite:////x",
        "DEBUG": "1",
        "SECRET_KEY": "short",
        "WIKIMEDIA_OAUTH_CLIENT_ID": "abc",
    }
    needed = {f.name for f in environment_findings(env) if f.needed}
    assert needed == {"DEBUG", "SECRET_KEY", "WIKIMEDIA_OAUTH_CLIENT_SECRET"}


def test_a_database_that_cannot_be_reached_is_named(tmp_path):
    status, output = _check({**COMPLETE, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert status == 1
    assert _missing(output) == {"database"}
    assert "cannot be reached" in output


def test_an_unmigrated_database_says_migrate_and_createcachetable(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    env = {
        **COMPLETE,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    status, output = _check(env)
    assert status == 1
    assert {"migrations", "cache", "static"} <= _missing(output)


@pytest.mark.django_db(transaction=True)
def test_a_ready_deployment_passes(tmp_path):
    from django.core.cache import cache

    cache.set("warm", 1)  # the test database has its cache table
    static = tmp_path / "static"
    media = tmp_path / "media"
    media.mkdir()
    env = {
        **COMPLETE,
        "DATABASE_URL": database_url(tmp_path),
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(static),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env, "DEBUG": ""},
        check=True,
        timeout=300,
    )
    status, output = _check(env)
    assert status == 0, output
    assert "OK" in output.splitlines()[-1]


def test_toolforge_gives_the_database_through_its_toolsdb_account():
    env = {"TOOL_TOOLSDB_USER": "s54321", "TOOL_TOOLSDB_PASSWORD": "p@ss/word"}
    assert toolsdb_url(env) == (
        "mysql://s54321:p%40ss%2Fword@tools.db.svc.wikimedia.cloud:3306/s54321__hub"
    )
    assert toolsdb_url({**env, "TOOLSDB_DATABASE": "s54321__partnerships"}).endswith(
        "/s54321__partnerships"
    )
    assert toolsdb_url({}) == ""
    assert not {f.name for f in environment_findings({**COMPLETE, **env}) if f.needed}


def test_the_settings_read_the_toolsdb_account_when_no_database_url_is_set():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(json.dumps([d['HOST'], d['NAME'], d['USER']]))"
    )
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}}
    done = subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "DEBUG": "1",
            "TOOL_TOOLSDB_USER": "s54321",
            "TOOL_TOOLSDB_PASSWORD": "secret",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == '["tools.db.svc.wikimedia.cloud", "s54321__hub", "s54321"]'
