"""Is this deployment ready? `make check-deployment` (`python -m hub.deployment`) says exactly
what is missing, one line each, and exits 1 while anything needed is missing.

It reads the environment first, without Django (the settings refuse to load without a secret key,
so a check through `manage.py` could only repeat that first refusal); once the environment is
complete it loads the settings and asks the running system: is the database reachable and
migrated, the cache table there, the translations compiled, the static files collected, the
uploads folder writable, the reference data loaded.

Toolforge gives a tool's containers its ToolsDB account as `TOOL_TOOLSDB_USER` and
`TOOL_TOOLSDB_PASSWORD` (the tool's `replica.my.cnf` holds the same account): without a
`DATABASE_URL` the settings use them (`toolsdb_url`), with the database `<user>__hub` on
`tools.db.svc.wikimedia.cloud` unless `TOOLSDB_DATABASE` or `TOOLSDB_HOST` say otherwise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

TOOLSDB_HOST = "tools.db.svc.wikimedia.cloud"
MIN_SECRET_LENGTH = 32
DEVELOPMENT_SITE = "http://127.0.0.1:8000"


def _value(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def toolsdb_url(env: Mapping[str, str] = os.environ) -> str:
    """The ToolsDB database of the tool whose account the environment gives, or "" without one."""
    user = _value(env, "TOOL_TOOLSDB_USER")
    if not user:
        return ""
    password = _value(env, "TOOL_TOOLSDB_PASSWORD")
    name = _value(env, "TOOLSDB_DATABASE") or f"{user}__hub"
    host = _value(env, "TOOLSDB_HOST") or TOOLSDB_HOST
    return f"mysql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:3306/{quote(name)}"


@dataclass(frozen=True)
class Finding:
    """Something missing (`needed`) or worth knowing (not needed) about the deployment."""

    name: str
    message: str
    needed: bool = True


def environment_findings(env: Mapping[str, str] = os.environ) -> list[Finding]:
    """What the environment lacks for a public deployment (the variables of README: Configuration)."""
    found: list[Finding] = []
    if _value(env, "DEBUG").lower() in {"1", "true", "yes", "on"}:
        found.append(Finding("DEBUG", "is on: error pages would show the settings and code."))
    secret = _value(env, "SECRET_KEY")
    if not secret:
        found.append(Finding("SECRET_KEY", "is not set: sessions and signed links need it."))
    elif len(secret) < MIN_SECRET_LENGTH:
        found.append(Finding("SECRET_KEY", f"is shorter than {MIN_SECRET_LENGTH} characters."))
    if not _value(env, "ALLOWED_HOSTS"):
        found.append(Finding("ALLOWED_HOSTS", "is not set: the hub would answer no host name."))
    if not _value(env, "DATABASE_URL") and not _value(env, "TOOL_TOOLSDB_USER"):
        found.append(
            Finding(
                "DATABASE_URL",
                "is not set (nor Toolforge's TOOL_TOOLSDB_USER): name the database, e.g. "
                "postgres://..., mysql://... or sqlite:////srv/hub/data/hub.sqlite3.",
            )
        )
    elif _value(env, "TOOL_TOOLSDB_USER") and not _value(env, "TOOL_TOOLSDB_PASSWORD"):
        found.append(Finding("TOOL_TOOLSDB_PASSWORD", "is not set beside TOOL_TOOLSDB_USER."))
    site = _value(env, "SITE_URL")
    if not site or site == DEVELOPMENT_SITE:
        found.append(
            Finding("SITE_URL", "is not set: links in e-mails and dumps would name 127.0.0.1.")
        )
    if _value(env, "WIKIMEDIA_OAUTH_CLIENT_ID") and not _value(
        env, "WIKIMEDIA_OAUTH_CLIENT_SECRET"
    ):
        found.append(Finding("WIKIMEDIA_OAUTH_CLIENT_SECRET", "is not set beside the client id."))
    if not _value(env, "CSRF_TRUSTED_ORIGINS"):
        found.append(
            Finding(
                "CSRF_TRUSTED_ORIGINS",
                "is not set: needed when a proxy in front changes the origin browsers post from.",
                needed=False,
            )
        )
    if not _value(env, "EMAIL_HOST") and not _value(env, "EMAIL_BACKEND"):
        found.append(
            Finding(
                "EMAIL_HOST",
                "is not set: password resets, invitations and reminders go to the log only.",
                needed=False,
            )
        )
    return found


def system_findings() -> list[Finding]:
    """What the running system lacks, asked through the loaded settings (after django.setup)."""
    from django.conf import settings
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        return [Finding("database", f"cannot be reached: {error}")]
    found: list[Finding] = []
    found += _migration_findings(connection)
    tables = set(connection.introspection.table_names())
    for alias, cache in settings.CACHES.items():
        if str(cache["BACKEND"]).endswith("DatabaseCache") and cache["LOCATION"] not in tables:
            found.append(Finding(f"cache {alias}", "has no table: run manage.py createcachetable."))
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        catalogue = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.mo"
        if not catalogue.exists():
            found.append(
                Finding(f"translations ({code})", "are not compiled: run compilemessages.")
            )
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" in backend and not manifest.exists():
        found.append(Finding("static files", "are not collected: run collectstatic."))
    media = Path(settings.MEDIA_ROOT)
    if not (media.is_dir() and os.access(media, os.W_OK)):
        found.append(Finding("MEDIA_ROOT", f"({media}) is not a writable folder."))
    if not found:
        found += _reference_findings()
    return found


def _migration_findings(connection) -> list[Finding]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    return [Finding("migrations", f"{len(plan)} not applied: run manage.py migrate.")]


def _reference_findings() -> list[Finding]:
    from hub.directory.models import Organization

    if Organization.objects.exists():
        return []
    return [
        Finding(
            "reference data",
            "is not loaded: run manage.py load_reference (the real affiliates).",
            needed=False,
        )
    ]


def report(found: list[Finding]) -> str:
    lines = [
        f"{'MISSING' if item.needed else 'NOTE'}  {item.name} {item.message}" for item in found
    ]
    if not any(item.needed for item in found):
        lines.append("OK  nothing needed is missing.")
    return "\n".join(lines)


def main() -> int:
    found = environment_findings()
    if not any(item.needed for item in found):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
        import django
        from django.core.exceptions import ImproperlyConfigured

        try:
            django.setup()
        except ImproperlyConfigured as error:
            found.append(Finding("settings", f"refuse to load: {error}"))
        else:
            found += system_findings()
    print(report(found))
    return 1 if any(item.needed for item in found) else 0


if __name__ == "__main__":
    sys.exit(main())
