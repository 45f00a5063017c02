"""Writing templates and documents: each service is keyword-only, atomic, checks permission and
records history (a template's new version on the template; a generated document on itself)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.documents import engine, office
from hub.lifecycle.documents.access import check_may_generate
from hub.lifecycle.documents.engine import TemplateError
from hub.lifecycle.documents.models import (
    DocumentTemplate,
    Format,
    GeneratedDocument,
    TemplateVersion,
)
from hub.lifecycle.documents.uploads import office_format
from hub.lifecycle.documents.values import SCHEMA, document_values, sample_values
from hub.partnerships.models import Partnership

# The template formats each output is made from, in order of preference.
SOURCES = {
    Format.ODT: (Format.ODT,),
    Format.DOCX: (Format.DOCX,),
    Format.PDF: (Format.ODT, Format.DOCX),
    Format.WIKITEXT: (Format.WIKITEXT,),
}


def _refused(error: TemplateError) -> ValidationError:
    message = f"{error.where}: {error.message}" if error.where else error.message
    return ValidationError({"file": message}, code="template")


def template_check(format: str, source: bytes | str) -> list[str]:
    """The placeholders of a template's file or text, after a trial fill with sample values; a
    TemplateError names the first mistake and where it is."""
    template = engine.load(format, source)
    placeholders = template.check(SCHEMA)
    template.render(sample_values())
    return placeholders


@transaction.atomic
def template_upload(
    *,
    actor,
    organization: Organization,
    kind: str,
    language: str,
    name: str,
    data: bytes,
    original_name: str = "",
) -> TemplateVersion:
    """A new version of `organization`'s template (kind, language, name), made if it is new.
    Only the organization's managers (and staff) upload; the file is checked as an upload, every
    placeholder must be known and a trial fill must succeed."""
    if not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("Only the organization's managers upload its templates."))
    try:
        if data[:2] == b"PK":
            format = office_format(data)
            source: bytes | str = data
        else:
            format = Format.WIKITEXT
            source = data.decode("utf-8")
        placeholders = template_check(format, source)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": _("A wikitext template must be UTF-8 text.")}, code="template"
        ) from exc
    except TemplateError as exc:
        raise _refused(exc) from exc
    template, created = DocumentTemplate.objects.get_or_create(
        organization=organization, kind=kind, language=language, name=name.strip()
    )
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    if template.retired_at is not None:
        template.retired_at = None
        template.save(update_fields=["retired_at"])
    number = (
        template.versions.values_list("number", flat=True).order_by("-number").first() or 0
    ) + 1
    version = TemplateVersion(
        template=template,
        number=number,
        format=format,
        original_name=original_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        placeholders=placeholders,
        uploaded_by=actor,
    )
    if format == Format.WIKITEXT:
        version.text = str(source)
        version.save()
    else:
        version.file.save(original_name or f"template.{format}", ContentFile(data), save=True)
    history.record_changes(
        actor=actor,
        model=DocumentTemplate,
        object_id=template.pk,
        object_repr=str(template),
        action=HistoryEntry.Action.CREATE if created else HistoryEntry.Action.CHANGE,
        changes={"version": [None if created else number - 1, number], "format": [None, format]},
    )
    search.index(template)
    return version


def source_version(template: DocumentTemplate, format: str) -> TemplateVersion | None:
    """The version `format` is made from: the newest in the first source format that has one."""
    for source in SOURCES[Format(format)]:
        version = template.versions.filter(format=source).order_by("-number").first()
        if version is not None:
            return version
    return None


def formats_of(template: DocumentTemplate) -> list[str]:
    have = set(template.versions.values_list("format", flat=True))
    return [f for f, sources in SOURCES.items() if have & set(sources)]


def render(version: TemplateVersion, format: str, values: dict[str, Any]) -> bytes:
    """The document's bytes; nothing is written when it fails (a TemplateError)."""
    if version.format == Format.WIKITEXT:
        return engine.load(version.format, version.text).render(values)
    with version.file.open("rb") as handle:
        data = handle.read()
    filled = engine.load(version.format, data).render(values)
    if format == Format.PDF:
        return office.convert(filled, version.format, "pdf")
    return filled


@transaction.atomic
def document_generate(
    *,
    actor,
    partnership: Partnership,
    template: DocumentTemplate,
    format: str,
    language: str | None = None,
    agreement: Agreement | None = None,
) -> GeneratedDocument:
    """Fill `template` from `partnership` (and `agreement`, one of its own) as `actor` sees them,
    in `format`; records the version, the values and the SHA-256 of what came out."""
    check_may_generate(actor, partnership)
    if agreement is not None and agreement.partnership_id != partnership.pk:
        raise ValidationError({"agreement": _("This agreement is not one of this partnership's.")})
    version = source_version(template, format)
    if version is None:
        raise ValidationError(
            {"format": _("This template cannot be made into that format.")}, code="format"
        )
    values = document_values(
        user=actor,
        partnership=partnership,
        agreement=agreement,
        language=language or template.language,
    )
    try:
        data = render(version, format, values)
    except TemplateError as exc:
        raise _refused(exc) from exc
    document = GeneratedDocument(
        partnership=partnership,
        agreement=agreement,
        template_version=version,
        format=format,
        values=values,
        sha256=hashlib.sha256(data).hexdigest(),
        generated_by=actor,
    )
    document.file.save(f"document.{format}", ContentFile(data), save=True)
    history.record_changes(
        actor=actor,
        model=GeneratedDocument,
        object_id=document.pk,
        object_repr=str(document),
        action=HistoryEntry.Action.CREATE,
        changes={
            "template_version": [None, str(version)],
            "format": [None, format],
            "sha256": [None, document.sha256],
        },
    )
    return document


def document_regenerate(*, document: GeneratedDocument) -> bytes:
    """The document made again from its stored values and template version: the same bytes for
    ODT, DOCX and wikitext (a PDF has the same text; LibreOffice stamps each PDF with its time)."""
    try:
        return render(document.template_version, document.format, document.values)
    except TemplateError as exc:
        raise _refused(exc) from exc
