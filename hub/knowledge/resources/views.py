"""The resource library's pages: fetch with permission, validate, call a service, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core import history
from hub.core.forms import call_service, stale_message
from hub.core.officefiles import CONTENT_TYPES
from hub.knowledge.models import writes_for
from hub.knowledge.resources import services
from hub.knowledge.resources.access import get_resource_for
from hub.knowledge.resources.forms import ResourceFilter, ResourceForm
from hub.knowledge.resources.models import Resource
from hub.knowledge.resources.steps import AGREEMENT_KEYS, template_items


def _templates_shown(filters: ResourceFilter) -> bool:
    """Document templates are templates of the formal-agreement steps, without other topics."""
    values = filters.values
    if set(values) - {"step", "kind", "language"}:
        return False
    return values.get("kind", "template") == "template" and (
        values.get("step", "") in AGREEMENT_KEYS | {""}
    )


@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    filters = ResourceFilter(request.GET)
    qs = (
        filters.apply(Resource.objects.visible_to(request.user))
        .select_related("organization")
        .distinct()
        .order_by("title", "pk")
    )
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    templates = []
    if _templates_shown(filters) and page.number == 1:
        templates = template_items(request.user, filters.values.get("language", ""))
    return render(
        request,
        "knowledge/resource_list.html",
        {
            "filters": filters,
            "page": page,
            "templates": templates,
            "can_write": writes_for(request.user).exists(),
        },
    )


@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for(request.user, pk)
    return render(
        request,
        "knowledge/resource_detail.html",
        {
            "resource": resource,
            "tags": resource.tags.all(),
            "can_edit": Resource.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


def _resource_edit(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(
        request.POST or None, request.FILES or None, user=request.user, instance=resource
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if resource is None:
            organization = arguments.pop("organization")
            saved = call_service(
                form,
                lambda: services.resource_create(
                    actor=request.user, organization=organization, **arguments
                ),
                stale=stale_message(_("resource")),
                permission_field="organization",
            )
        else:
            saved = call_service(
                form,
                lambda: services.resource_update(
                    actor=request.user,
                    resource=resource,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale_message(_("resource")),
                permission_field="organization",
            )
        if saved is not None:
            messages.success(request, _("Resource saved."))
            return redirect(saved)
    return render(request, "knowledge/resource_form.html", {"form": form, "resource": resource})


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    if not writes_for(request.user).exists():
        raise PermissionDenied(_("Members of a movement organization share resources."))
    return _resource_edit(request, None)


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _resource_edit(request, get_resource_for(request.user, pk, edit=True))


@login_required
@require_POST
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for(request.user, pk, edit=True)
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, _("The resource is removed from the library."))
    return redirect("knowledge:resource_list")


@require_GET
def resource_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    resource = get_resource_for(request.user, pk)
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name,
        content_type=CONTENT_TYPES.get(resource.file_kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def resource_history(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": resource, "entries": history.read(request.user, resource)},
    )
