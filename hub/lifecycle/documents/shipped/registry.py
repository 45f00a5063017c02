"""Registering the templates the hub ships (files/, built by `manage.py build_document_templates`)
without a data migration: `shipped_templates_sync()` runs on first use in each process (and again
whenever the database has none, as a new test database has), and adds a version wherever a
shipped file changed since. `manage.py sync_document_templates` runs it on purpose."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from hub.core import search
from hub.lifecycle.documents import engine
from hub.lifecycle.documents.models import DocumentTemplate, TemplateVersion
from hub.lifecycle.documents.shipped.texts import TEXTS
from hub.lifecycle.documents.values import SCHEMA

FILES = Path(__file__).resolve().parent / "files"
SUFFIXES = {"odt": "odt", "docx": "docx", "wikitext": "wiki"}
_state = {"synced": False}


def ensure_shipped_templates() -> None:
    if not _state["synced"] or not DocumentTemplate.objects.filter(organization=None).exists():
        shipped_templates_sync()
        _state["synced"] = True


@transaction.atomic
def shipped_templates_sync() -> int:
    """Register every shipped template file not yet registered as it is; returns how many versions
    were added. Safe to run at any time, from any number of processes."""
    added = 0
    for (kind, language), (name, _lines) in sorted(TEXTS.items()):
        template, _created = DocumentTemplate.objects.get_or_create(
            organization=None, kind=kind, language=language, name=name
        )
        locked = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        if _created:
            search.index(locked)
        for format, suffix in SUFFIXES.items():
            path = FILES / f"{kind}-{language}.{suffix}"
            if not path.exists():
                continue
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            latest = locked.versions.filter(format=format).order_by("-number").first()
            if latest is not None and latest.sha256 == sha:
                continue
            source: bytes | str = data.decode("utf-8") if format == "wikitext" else data
            placeholders = engine.load(format, source).check(SCHEMA)
            number = (
                locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
            ) + 1
            version = TemplateVersion(
                template=locked,
                number=number,
                format=format,
                original_name=path.name,
                sha256=sha,
                placeholders=placeholders,
            )
            if format == "wikitext":
                version.text = str(source)
                version.save()
            else:
                version.file.save(path.name, ContentFile(data), save=True)
            added += 1
    return added
