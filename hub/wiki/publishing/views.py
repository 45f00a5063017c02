"""Pages of wiki publishing: the wiki accounts, the publish flow (choose, preview with the diff,
publish or resolve a conflict) and the read-back of a publication. Fetch with permission,
validate, call a service, respond; a wiki that fails is a message on the page, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.core.forms import apply_service_errors, call_service
from hub.directory.models import Organization
from hub.partnerships.models import Partnership
from hub.wiki.client import WikiClient, WikiEditConflict, WikiError
from hub.wiki.publishing import readback, services
from hub.wiki.publishing.access import (
    get_connection_for,
    get_publication_for,
    get_record_for,
)
from hub.wiki.publishing.forms import ConfirmForm, ConnectionForm, PublishForm, TakeBackForm
from hub.wiki.publishing.models import Publication, WikiConnection


@login_required
@require_GET
def connection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    connections = WikiConnection.objects.usable_by(user).select_related("organization")
    managed = set(WikiConnection.objects.managed_by(user).values_list("pk", flat=True))
    return render(
        request,
        "wiki/connection_list.html",
        {
            "connections": connections,
            "managed": managed,
            "can_add": Organization.objects.managed_by(user).movement().exists(),
        },
    )


@sensitive_post_parameters("secret")
@login_required
@require_http_methods(["GET", "POST"])
def connection_create(request: HttpRequest) -> HttpResponse:
    if not Organization.objects.managed_by(request.user).movement().exists():
        raise PermissionDenied(_("Only the managers of an organization manage its wiki accounts."))
    form = ConnectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            lambda: services.connection_create(
                actor=request.user,
                organization=data["organization"],
                label=data["label"],
                api_url=data["api_url"],
                kind=data["kind"],
                username=data["username"],
                secret=data["secret"],
            ),
            stale="",
            permission_field="organization",
        )
        if done:
            messages.success(request, _("Wiki account added. Its secret is stored encrypted."))
            return redirect("wiki:connections")
    return render(request, "wiki/connection_form.html", {"form": form})


@login_required
@require_POST
def connection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    connection = get_connection_for(request.user, pk, manage=True)
    services.connection_delete(actor=request.user, connection=connection)
    messages.success(request, _("Wiki account removed."))
    return redirect("wiki:connections")


def _publish_context(request, kind, record, **extra) -> dict:
    return {
        "kind": kind,
        "record": record,
        "refusal": services.publish_refusal(record),
        "publications": Publication.objects.of(record).select_related("published_by")[:20],
        **extra,
    }


def _wiki_problem(form, exc: Exception) -> None:
    form.add_error(None, str(exc))


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Step 1 (choose an account and a title), step 2 (preview: the wikitext and the diff
    against the page now), step 3 (publish over the revision seen, or meet the conflict)."""
    record = get_record_for(request.user, kind, pk, publish=True)
    step = request.POST.get("step", "")
    if step == "publish":
        return _publish_confirmed(request, kind, record)
    form = PublishForm(
        request.POST or None, user=request.user, initial={"title": str(record)[:255]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.publication_preview(
                actor=request.user,
                record=record,
                connection=form.cleaned_data["connection"],
                title=form.cleaned_data["title"],
            )
        except (WikiError, ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            return _preview_page(request, kind, record, form, preview)
    return render(
        request, "wiki/publish_form.html", _publish_context(request, kind, record, form=form)
    )


def _refused(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        apply_service_errors(form, exc)
    else:
        _wiki_problem(form, exc)


def _preview_page(request, kind, record, form, preview, *, conflict: str = "") -> HttpResponse:
    confirm = ConfirmForm(
        user=request.user,
        initial={
            "connection": form.cleaned_data["connection"].pk,
            "title": preview.page.title,
            "seen_revision": preview.page.revision,
        },
    )
    changes = None
    if preview.last and preview.changed_on_wiki and isinstance(record, Partnership):
        changes = readback.partnership_changes(preview.last.wikitext, preview.page.wikitext)
    return render(
        request,
        "wiki/publish_preview.html",
        _publish_context(
            request,
            kind,
            record,
            preview=preview,
            confirm=confirm,
            conflict=conflict,
            changes=changes,
            needs_choice=bool(conflict) or preview.changed_on_wiki,
        ),
    )


def _publish_confirmed(request, kind, record) -> HttpResponse:
    form = ConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request, "wiki/publish_form.html", _publish_context(request, kind, record, form=form)
        )
    data = form.cleaned_data
    try:
        publication = services.publication_publish(
            actor=request.user,
            record=record,
            connection=data["connection"],
            title=data["title"],
            seen_revision=data["seen_revision"],
            overwrite=data["overwrite"],
        )
    except WikiEditConflict as exc:
        # Show the page as it is now and let the person choose.
        try:
            preview = services.publication_preview(
                actor=request.user,
                record=record,
                connection=data["connection"],
                title=data["title"],
            )
        except (WikiError, ValidationError, PermissionDenied) as again:
            _refused(form, again)
        else:
            return _preview_page(request, kind, record, form, preview, conflict=str(exc))
    except (WikiError, ValidationError, PermissionDenied) as exc:
        _refused(form, exc)
    else:
        messages.success(
            request,
            _("Published to %(wiki)s as '%(title)s' (revision %(revision)s).")
            % {
                "wiki": publication.host,
                "title": publication.title,
                "revision": publication.revision,
            },
        )
        return redirect("wiki:publication", pk=publication.pk)
    return render(
        request, "wiki/publish_form.html", _publish_context(request, kind, record, form=form)
    )


def _read_back(publication: Publication) -> tuple[str | None, int, str]:
    """The page's current wikitext and revision, or None and the reason it cannot be read."""
    try:
        page = WikiClient().page(publication.api_url, publication.title)
    except WikiError as exc:
        return None, 0, str(exc)
    return page.wikitext, page.revision, ""


@login_required
@require_GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_publication_for(request.user, pk)
    current, revision, problem = _read_back(publication)
    changes = diff = None
    take_back = None
    if current is not None:
        if publication.partnership_id:
            changes = readback.partnership_changes(publication.wikitext, current)
            choices = [(c.field, c.label) for c in changes or [] if c.takeable]
            editable = Partnership.objects.editable_by(request.user).filter(
                pk=publication.partnership_id
            )
            if choices and editable.exists():
                take_back = TakeBackForm(choices=choices)
        diff = readback.line_diff(publication.wikitext, current)
    return render(
        request,
        "wiki/publication_detail.html",
        {
            "publication": publication,
            "record": publication.record,
            "problem": problem,
            "revision": revision,
            "changed": current is not None and revision != publication.revision,
            "changes": changes,
            "diff": diff,
            "take_back": take_back,
        },
    )


@login_required
@require_POST
def publication_take_back(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_publication_for(request.user, pk)
    if not publication.partnership_id:
        raise Http404
    if (
        not Partnership.objects.editable_by(request.user)
        .filter(pk=publication.partnership_id)
        .exists()
    ):
        raise PermissionDenied(_("You cannot edit this partnership."))
    current, _revision, problem = _read_back(publication)
    if current is None:
        messages.error(request, problem)
        return redirect("wiki:publication", pk=pk)
    changes = readback.partnership_changes(publication.wikitext, current) or []
    form = TakeBackForm(request.POST, choices=[(c.field, c.label) for c in changes if c.takeable])
    if form.is_valid():
        try:
            services.publication_take_back(
                actor=request.user,
                publication=publication,
                fields=form.cleaned_data["fields_chosen"],
                current=current,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        else:
            messages.success(request, _("The wiki's changes are now in the hub's record."))
            return redirect(publication.partnership.get_absolute_url())  # type: ignore[union-attr]
    else:
        messages.error(request, _("Choose at least one field to take back."))
    return redirect("wiki:publication", pk=pk)


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    """The publications of one record: ?record=<kind>:<id>."""
    kind, _sep, pk = request.GET.get("record", "").partition(":")
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    record = get_record_for(request.user, kind, int(pk))
    publications = Publication.objects.of(record).select_related("published_by")
    return render(
        request,
        "wiki/publication_list.html",
        {"record": record, "kind": kind, "publications": publications},
    )


def publish_url(record) -> str:
    return reverse("wiki:publish", args=[Publication.kind_of(record), record.pk])
