"""Production settings: `check --deploy` is clean, and the hub refuses to start without a secret key."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.core.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x" * 40,
    "ALLOWED_HOSTS": "hub.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://hub.example.org",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "EMAIL_HOST": "smtp.example.org",
}


def _manage(*args, env):
    # The test process's own settings (and conftest's async switch) must not leak into the check.
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_refused_by_name():
    result = _manage("check", env={**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "database": [settings.DATABASES["default"]["ENGINE"], str(settings.DATABASES["default"]["NAME"])],
    "data": [str(settings.DATA_DIR), str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT)],
    "mail": [settings.MAILERS["default"]["BACKEND"], settings.DEFAULT_FROM_EMAIL],
    "hosts": settings.ALLOWED_HOSTS,
    "https": [settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE],
    "middleware": settings.MIDDLEWARE,
}))
"""


def _sourced(script: str, filled: str = ""):
    """Run `script` in Python after bash has sourced .env.example (then `filled`), as the README says."""
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    shell = f'set -a; . ./.env.example; {filled} set +a; exec "$PYTHON" -c "$SCRIPT"'
    return subprocess.run(  # noqa: S603 - bash with our own fixed script
        ["/bin/bash", "-c", shell],
        cwd=ROOT,
        env={
            **clean,
            "PYTHON": sys.executable,
            "SCRIPT": script,
            "DJANGO_SETTINGS_MODULE": "hub.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_example_can_be_sourced_and_its_empty_values_mean_the_defaults():
    result = _sourced(SHOW_SETTINGS, filled="SECRET_KEY=filled-in-by-the-operator;")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # bash sourced every line without complaint
    shown = json.loads(result.stdout)
    assert shown["database"] == ["django.db.backends.sqlite3", str(ROOT / "data" / "hub.sqlite3")]
    assert shown["data"] == [
        str(ROOT / "data"),
        str(ROOT / "data" / "media"),
        str(ROOT / "staticfiles"),
    ]
    assert shown["mail"] == [
        "django.core.mail.backends.console.EmailBackend",
        "Partnership Hub <hub@example.org>",
    ]
    assert shown["hosts"] == ["hub.example.org"]
    assert shown["https"] == [True, True]
    # an empty EXTRA_MIDDLEWARE adds nothing (not an empty dotted path)
    assert all(path.count(".") >= 2 for path in shown["middleware"])
    # As it is (DEBUG=0), the example lacks only the secret key, and says so.
    unfilled = _sourced(SHOW_SETTINGS)
    assert unfilled.returncode != 0
    assert "SECRET_KEY must be set" in unfilled.stderr


@pytest.mark.parametrize("blank", ["", "  "])
def test_every_reader_takes_a_blank_value_for_its_default(blank, monkeypatch):
    monkeypatch.setenv("HUB_TEST_VARIABLE", blank)
    assert env_str("HUB_TEST_VARIABLE", "default") == "default"
    assert env_bool("HUB_TEST_VARIABLE", default=True) is True
    assert env_int("HUB_TEST_VARIABLE", 7) == 7
    assert env_list("HUB_TEST_VARIABLE", ["a"]) == ["a"]
