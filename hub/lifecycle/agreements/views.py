"""The agreement pages: a partnership's agreements, one agreement (its details to those who may see
them), the forms to record and change one, its files and its history, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.core import exporting, history
from hub.core.forms import call_service, parse_int, stale_message
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements import services, warnings
from hub.lifecycle.agreements.access import (
    details_visible,
    get_agreement_for,
    get_file_for,
    may_edit,
)
from hub.lifecycle.agreements.exporting import agreement_columns, export_queryset
from hub.lifecycle.agreements.forms import (
    AgreementForm,
    ChecklistForm,
    FileForm,
    PartyFormSet,
    party_initial,
)
from hub.lifecycle.agreements.models import Agreement
from hub.partnerships.access import get_partnership_for
from hub.partnerships.models import Partnership


@require_GET
def agreement_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    agreements = Agreement.objects.visible_to(request.user).filter(partnership=partnership)
    return render(
        request,
        "lifecycle/agreement_list.html",
        {
            "partnership": partnership,
            "agreements": agreements,
            "warnings": warnings.warnings_for(request.user, partnership),
            "can_edit": may_edit(request.user, partnership.pk),
        },
    )


@require_GET
def agreement_detail(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, pk, agreement_pk)
    shown = details_visible(request.user, agreement)
    context = {
        "agreement": agreement,
        "partnership": agreement.partnership,
        "details": shown,
        "can_edit": may_edit(request.user, agreement),
        "warnings": [
            w
            for w in warnings.warnings_for(request.user, agreement.partnership)
            if w.agreement is not None and w.agreement.pk == agreement.pk
        ],
    }
    if shown:
        context["parties"] = agreement.parties.select_related("organization")
        context["checklist"] = agreement.checklist.order_by("pk")
        context["files"] = agreement.files.select_related("uploaded_by")
        grant_id = agreement.grant_id
        seen = grant_id and Grant.objects.visible_to(request.user).filter(pk=grant_id).exists()
        context["grant_shown"] = agreement.grant if seen else None
    return render(request, "lifecycle/agreement_detail.html", context)


def _edit(request: HttpRequest, partnership: Partnership, agreement: Agreement | None):
    post = request.POST if request.method == "POST" else None
    form = AgreementForm(post, user=request.user, partnership=partnership, instance=agreement)
    parties = PartyFormSet(
        post,
        prefix="parties",
        partnership=partnership,
        initial=None if post else party_initial(agreement),
    )
    checklist = ChecklistForm(post, prefix="checklist", agreement=agreement)
    if post is not None and form.is_valid() & parties.is_valid() & checklist.is_valid():
        arguments = {
            **form.service_arguments(),
            "parties": parties.parties(),
            "checklist": checklist.checklist(),
        }
        with transaction.atomic():
            if agreement is None:
                saved = call_service(
                    form,
                    lambda: services.agreement_create(
                        actor=request.user, partnership=partnership, **arguments
                    ),
                    stale="",
                )
            else:
                saved = call_service(
                    form,
                    lambda: services.agreement_update(
                        actor=request.user,
                        agreement=agreement,
                        expected_version=form.cleaned_data.get("version"),
                        **arguments,
                    ),
                    stale=stale_message(_("agreement")),
                )
            if saved is None:
                transaction.set_rollback(True)
        if saved is not None:
            messages.success(
                request, _("Agreement recorded.") if agreement is None else _("Agreement saved.")
            )
            return redirect(saved)
    return render(
        request,
        "lifecycle/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "checklist": checklist,
            "partnership": partnership,
            "agreement": agreement,
        },
    )


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_partnership_for(request.user, pk, edit=True), None)


@login_required
def agreement_edit(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, pk, agreement_pk, edit=True)
    return _edit(request, agreement.partnership, agreement)


@login_required
def agreement_file_upload(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, pk, agreement_pk, edit=True)
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = call_service(
            form,
            lambda: services.agreement_file_add(
                actor=request.user,
                agreement=agreement,
                file=form.cleaned_data["file"],
                signed=form.cleaned_data["signed"],
            ),
            stale="",
        )
        if stored is not None:
            messages.success(
                request, _("Version %(n)s of the file is kept.") % {"n": stored.number}
            )
            return redirect(agreement)
    return render(
        request, "lifecycle/agreement_file_form.html", {"form": form, "agreement": agreement}
    )


@require_GET
def agreement_file_download(
    request: HttpRequest, pk: int, agreement_pk: int, number: int
) -> HttpResponseBase:
    stored = get_file_for(request.user, pk, agreement_pk, number)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def agreement_history(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, pk, agreement_pk)
    return render(
        request,
        "core/history.html",
        {"object": agreement, "entries": history.read(request.user, agreement)},
    )


@require_GET
def agreement_export(request: HttpRequest) -> HttpResponseBase:
    """Every agreement the reader sees (CSV, XLSX or ODS), details only where they may see them;
    ?partnership=<id> for one partnership's."""
    qs = Agreement.objects.all()
    if request.GET.get("partnership"):
        partnership_id = parse_int(request.GET["partnership"])
        qs = qs.filter(partnership_id=partnership_id) if partnership_id else qs.none()
    return exporting.export_response(
        export_queryset(request.user, qs),
        agreement_columns(request.user),
        request.GET.get("format", "csv"),
        "agreements",
    )
