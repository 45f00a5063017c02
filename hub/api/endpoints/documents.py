"""Documents from templates: the templates a caller may use, generating a partnership's document,
and its generated documents (read and download). The same access rules and services as the pages
(hub/lifecycle/documents/access.py and services.py)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import RecordId, page_url, path_id
from hub.api.endpoints.directory import org_ref
from hub.api.problems import ApiError, Problem
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.documents import services
from hub.lifecycle.documents.access import (
    check_may_generate,
    documents_visible_to,
    get_document_for,
    templates_visible_to,
)
from hub.lifecycle.documents.models import Format, GeneratedDocument
from hub.lifecycle.documents.shipped.registry import ensure_shipped_templates
from hub.lifecycle.documents.views import CONTENT_TYPES, SUFFIXES, template_for
from hub.partnerships.access import get_partnership_for

router = Router(tags=["documents"], auth=READ_AUTH)

KindName = Literal["letter_of_intent", "mou", "partnership_agreement"]
FormatName = Literal["odt", "docx", "pdf", "wikitext"]


class OrgRef(Schema):
    id: int
    name: str
    short_code: str | None


class TemplateVersionOut(Schema):
    number: int
    format: str
    sha256: str
    placeholders: list[str]
    uploaded_at: datetime.datetime


class TemplateOut(Schema):
    id: int
    kind: str
    language: str
    name: str
    organization: OrgRef | None = Field(description="Empty for the hub's own templates.")
    formats: list[str] = Field(description="The formats this template makes.")
    versions: list[TemplateVersionOut]
    url: str


class TemplateList(Schema):
    items: list[TemplateOut]


class GenerateIn(Schema):
    kind: KindName
    language: str = Field(max_length=10, description="A language code of the hub, e.g. en, de.")
    format: FormatName = "odt"
    agreement: int | None = Field(None, ge=1, le=2**62, description="Id of one of its agreements.")


class DocumentOut(Schema):
    id: int
    partnership: int
    agreement: int | None
    template: int
    template_version: int
    format: str
    sha256: str
    generated_at: datetime.datetime
    download: str = Field(description="The file itself.")


class DocumentList(Schema):
    items: list[DocumentOut]


def template_out(request: HttpRequest, template) -> dict[str, Any]:
    versions = sorted(template.versions.all(), key=lambda v: -v.number)
    have = {v.format for v in versions}
    return {
        "id": template.pk,
        "kind": template.kind,
        "language": template.language,
        "name": template.name,
        "organization": org_ref(template.organization) if template.organization else None,
        "formats": [f for f, sources in services.SOURCES.items() if have & set(sources)],
        "versions": [
            {
                "number": v.number,
                "format": v.format,
                "sha256": v.sha256,
                "placeholders": v.placeholders,
                "uploaded_at": v.uploaded_at,
            }
            for v in versions
        ],
        "url": page_url(request, "lifecycle:template_detail", template.pk),
    }


def document_out(request: HttpRequest, document: GeneratedDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "partnership": document.partnership_id,
        "agreement": document.agreement_id,
        "template": document.template_version.template_id,
        "template_version": document.template_version.number,
        "format": document.format,
        "sha256": document.sha256,
        "generated_at": document.generated_at,
        "download": page_url(request, "api:document_file", document.pk),
    }


@router.get(
    "/document-templates",
    response={200: TemplateList},
    url_name="document_template_list",
    summary="List the document templates you may use",
)
def document_template_list(request: HttpRequest):
    """The hub's own templates and those of the organizations you belong to."""
    ensure_shipped_templates()
    templates = (
        templates_visible_to(caller(request))
        .select_related("organization")
        .prefetch_related("versions")
        .order_by("kind", "language", "organization__name", "name", "pk")
    )
    return {"items": [template_out(request, t) for t in templates]}


def _may_generate(request: HttpRequest) -> None:
    check_may_generate(caller(request), get_partnership_for(caller(request), path_id(request)))


@router.post(
    "/partnerships/{id}/documents",
    auth=write_auth(_may_generate),
    response={201: DocumentOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="document_generate",
    summary="Generate a document for a partnership",
)
def document_generate(
    request: HttpRequest, response: HttpResponse, id: RecordId, payload: GenerateIn
):
    """Fills the template of that kind and language (a participant's own, else the hub's) from the
    partnership as you see it; the answer links to the file."""
    user = caller(request)
    partnership = get_partnership_for(user, id)
    agreement = None
    if payload.agreement is not None:
        agreement = Agreement.objects.filter(pk=payload.agreement, partnership=partnership).first()
        if agreement is None:
            message = _("This agreement is not one of this partnership's.")
            raise ApiError(422, message, [{"path": "agreement", "message": message}])
    template = template_for(user, partnership, payload.kind, payload.language)
    if template is None:
        message = _("There is no template of this document in this language.")
        raise ApiError(422, message, [{"path": "language", "message": message}])
    document = services.document_generate(
        actor=user,
        partnership=partnership,
        template=template,
        format=payload.format,
        agreement=agreement,
    )
    response["Location"] = page_url(request, "api:document_detail", document.pk)
    # A generated document never changes: its ETag names its first and only version.
    response["ETag"] = f'"{document.pk}-1"'
    return Status(201, document_out(request, document))


@router.get(
    "/partnerships/{id}/documents",
    response={200: DocumentList, 404: Problem},
    url_name="document_list",
    summary="List a partnership's generated documents",
)
def document_list(request: HttpRequest, id: RecordId):
    partnership = get_partnership_for(caller(request), id)
    documents = (
        documents_visible_to(caller(request))
        .filter(partnership=partnership)
        .select_related("template_version")
    )
    return {"items": [document_out(request, d) for d in documents]}


@router.get(
    "/documents/{id}",
    response={200: DocumentOut, 404: Problem},
    url_name="document_detail",
    summary="Read a generated document's record",
)
def document_detail(request: HttpRequest, id: RecordId):
    return document_out(request, get_document_for(caller(request), id))


@router.get(
    "/documents/{id}/file",
    response={200: None, 404: Problem},
    url_name="document_file",
    summary="Download a generated document",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The document's file.",
                "content": {t: {} for t in CONTENT_TYPES.values()},
            }
        }
    },
)
def document_file(request: HttpRequest, id: RecordId):
    document = get_document_for(caller(request), id)
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    answer = HttpResponse(data, content_type=CONTENT_TYPES[Format(document.format)])
    answer["Content-Disposition"] = (
        f'attachment; filename="document-{document.pk}.{SUFFIXES[Format(document.format)]}"'
    )
    return answer
