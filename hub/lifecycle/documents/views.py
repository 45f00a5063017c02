"""Pages of document templates and generated documents: fetch with permission, validate, call a
service, respond. Generating answers with a redirect to the download, so it works without JS."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import history
from hub.core.forms import call_service
from hub.directory.models import Organization
from hub.lifecycle.documents import services
from hub.lifecycle.documents.access import (
    documents_visible_to,
    get_document_for,
    get_template_for,
    may_generate,
    templates_visible_to,
)
from hub.lifecycle.documents.forms import GenerateForm, UploadForm
from hub.lifecycle.documents.models import DocumentTemplate, Format, TemplateVersion
from hub.lifecycle.documents.shipped.registry import ensure_shipped_templates
from hub.lifecycle.documents.values import SCHEMA
from hub.partnerships.access import get_partnership_for

CONTENT_TYPES = {
    Format.ODT: "application/vnd.oasis.opendocument.text",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
    Format.WIKITEXT: "text/plain; charset=utf-8",
}
SYNTAX_EXAMPLES = {
    "value": "{{ partner.name }}",
    "for": "{% for party in parties %}",
    "endfor": "{% endfor %}",
    "if": "{% if agreement.end_date %}",
    "endif": "{% endif %}",
}
SUFFIXES = {Format.ODT: "odt", Format.DOCX: "docx", Format.PDF: "pdf", Format.WIKITEXT: "wiki"}


def _attachment(data: bytes, format: str, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[Format(format)])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{SUFFIXES[Format(format)]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def generate_form(user, partnership, data=None) -> GenerateForm:
    language = (get_language() or "en")[:2]
    return GenerateForm(data, partnership=partnership, initial={"language": language})


@require_GET
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    documents = (
        documents_visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("template_version__template", "generated_by", "agreement")
    )
    can_generate = may_generate(request.user, partnership)
    return render(
        request,
        "lifecycle/document_list.html",
        {
            "partnership": partnership,
            "documents": documents,
            "form": generate_form(request.user, partnership) if can_generate else None,
        },
    )


def template_for(user, partnership, kind: str, language: str) -> DocumentTemplate | None:
    """The template to fill: a participant's own (one `user` may use), else the hub's."""
    ensure_shipped_templates()
    usable = templates_visible_to(user).filter(kind=kind, language=language)
    own = usable.filter(organization__participations__partnership=partnership).order_by(
        "-created_at"
    )
    return own.first() or usable.filter(organization__isnull=True).first()


@login_required
@require_POST
def document_generate(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    if not may_generate(request.user, partnership):
        raise PermissionDenied
    form = generate_form(request.user, partnership, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        template = template_for(request.user, partnership, data["kind"], data["language"])
        if template is None:
            form.add_error("language", _("There is no template of this document in this language."))
        else:
            document = call_service(
                form,
                lambda: services.document_generate(
                    actor=request.user,
                    partnership=partnership,
                    template=template,
                    format=data["format"],
                    agreement=data["agreement"],
                ),
                stale="",
            )
            if document is not None:
                messages.success(request, _("Document generated."))
                return redirect("lifecycle:document_download", document.pk)
    documents = documents_visible_to(request.user).filter(partnership=partnership)
    return render(
        request,
        "lifecycle/document_list.html",
        {"partnership": partnership, "documents": documents, "form": form},
        status=400,
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk)
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        data = services.document_regenerate(document=document)
    return _attachment(
        data, document.format, f"{document.template_version.template.kind}-{document.pk}"
    )


@require_POST
def document_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk)
    try:
        data = services.document_regenerate(document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("lifecycle:document_list", document.partnership_id)
    return _attachment(
        data, document.format, f"{document.template_version.template.kind}-{document.pk}"
    )


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    ensure_shipped_templates()
    templates = (
        templates_visible_to(request.user)
        .select_related("organization")
        .prefetch_related("versions")
        .order_by("organization__name", "kind", "language", "name")
    )
    return render(
        request,
        "lifecycle/document_templates.html",
        {
            "templates": templates,
            "may_upload": Organization.objects.managed_by(request.user).exists(),
        },
    )


@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_template_for(request.user, pk)
    return render(
        request,
        "lifecycle/document_template.html",
        {
            "template": template,
            "versions": template.versions.select_related("uploaded_by"),
            "formats": services.formats_of(template),
        },
    )


@require_GET
def template_history(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_template_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": template, "entries": history.read(request.user, template)},
    )


@require_GET
def template_version_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = (
        TemplateVersion.objects.filter(template__in=templates_visible_to(request.user), pk=pk)
        .select_related("template")
        .first()
    )
    if version is None:
        raise Http404
    if version.format == Format.WIKITEXT:
        return _attachment(version.text.encode(), version.format, version.template.kind)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{version.template.kind}-v{version.number}.{version.format}",
        content_type=CONTENT_TYPES[Format(version.format)],
    )


@login_required
def template_upload(request: HttpRequest) -> HttpResponse:
    if not Organization.objects.managed_by(request.user).exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = call_service(
            form,
            lambda: services.template_upload(
                actor=request.user,
                organization=data["organization"],
                kind=data["kind"],
                language=data["language"],
                name=data["name"],
                data=data["file"].read(),
                original_name=data["file"].name,
            ),
            stale="",
            permission_field="organization",
        )
        if version is not None:
            messages.success(
                request, _("Version %(number)s of the template saved.") % {"number": version.number}
            )
            return redirect(reverse("lifecycle:template_detail", args=[version.template_id]))
    return render(
        request,
        "lifecycle/document_template_upload.html",
        {"form": form, "names": SCHEMA.all_names(), "syntax": SYNTAX_EXAMPLES},
        status=400 if form.errors else 200,
    )
