"""Pages of the Wikidata work: the search behind the organization form, taking an item's facts
into an organization, the reconciliation runs and their review queue, and the organizations that
share an item. Every Wikidata failure is a message on the page, never an error page."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core.forms import apply_service_errors
from hub.directory import merging
from hub.directory.access import get_organization_for, may_create
from hub.directory.models import Organization
from hub.wiki.wikidata import services
from hub.wiki.wikidata.access import get_run_for, get_suggestion_for
from hub.wiki.wikidata.client import WikidataClient, WikidataError, normalize_qid
from hub.wiki.wikidata.forms import ApplyForm, PickForm, SearchForm
from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Items matching ?q=, for the organization form's search (an htmx fragment) or as a page
    of its own (without JavaScript)."""
    if not may_create(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET)
    results, error = [], ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        try:
            results = WikidataClient().search(form.cleaned_data["q"], language=_language())
        except WikidataError as exc:
            error = str(exc)
    context = {"form": form, "results": results, "error": error, "searched": bool(form.data)}
    if getattr(request, "htmx", None):
        return render(request, "wikidata/search.html#results", context)
    return render(request, "wikidata/search.html", context)


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    """The organization form's Wikidata field holding the chosen item (an htmx fragment)."""
    if not may_create(request.user):
        raise PermissionDenied
    try:
        qid = normalize_qid(request.GET.get("qid", ""))
    except WikidataError:
        qid = ""
    context = {"qid": qid, "label": request.GET.get("label", "")[:200]}
    return render(request, "wikidata/search.html#picked", context)


def _apply_context(request, organization, qid, suggestion=None) -> tuple[dict, int]:
    """The apply page's context: the item's facts beside the organization's, or why not."""
    context: dict = {"organization": organization, "qid": qid, "suggestion": suggestion}
    if not qid:
        context["error"] = _("This organization has no Wikidata item yet. Choose one first.")
        return context, 200
    try:
        item = WikidataClient().item(qid)
    except WikidataError as exc:
        context["error"] = str(exc)
        return context, 502
    changes = services.changes_for(organization, item)
    context.update({"item": item, "changes": changes})
    return context, 200


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an item's facts into an organization: GET shows the item's facts beside the
    organization's (ticked only where it has none), POST takes those the person ticked."""
    organization = get_organization_for(request.user, pk, edit=True)
    suggestion = None
    if request.GET.get("suggestion") or request.POST.get("suggestion"):
        number = request.GET.get("suggestion") or request.POST.get("suggestion") or ""
        suggestion = get_suggestion_for(request.user, int(number) if number.isdigit() else 0)
        if suggestion.organization_id != organization.pk:
            raise PermissionDenied
    raw = request.POST.get("qid") or request.GET.get("qid") or organization.wikidata_id
    try:
        qid = normalize_qid(raw) if raw else ""
    except WikidataError as exc:
        messages.error(request, str(exc))
        qid = ""
    context, status = _apply_context(request, organization, qid, suggestion)
    form = ApplyForm(request.POST or None, changes=context.get("changes", []), initial={"qid": qid})
    if request.method == "POST" and "item" in context and form.is_valid():
        fields = form.cleaned_data["take"]
        try:
            if suggestion is not None:
                services.suggestion_accept(
                    actor=request.user, suggestion=suggestion, item=context["item"], fields=fields
                )
            else:
                services.organization_wikidata_apply(
                    actor=request.user,
                    organization=organization,
                    item=context["item"],
                    fields=fields,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("The organization is linked to %(qid)s.") % {"qid": qid})
            if suggestion is not None:
                return redirect("wikidata:review")
            return redirect(organization)
    context["form"] = form
    context["ticked"] = (
        request.POST.getlist("take")
        if form.is_bound
        else [c.name for c in context.get("changes", []) if c.proposed]
    )
    return render(request, "wikidata/apply.html", context, status=status)


# --- reconciliation ---------------------------------------------------------------------------


@login_required
def reconcile(request: HttpRequest) -> HttpResponse:
    """The runs the viewer started (staff: all), and a button that starts another."""
    if not services.may_reconcile(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            run = services.reconciliation_start(actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The reconciliation has started."))
            return redirect("wikidata:run", pk=run.pk)
    runs = ReconciliationRun.objects.visible_to(request.user)
    page = Paginator(runs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "to_look_up": services.reconciliation_scope(request.user).count(),
        "pending": ReconciliationItem.objects.visible_to(request.user).pending().count(),
    }
    return render(request, "wikidata/reconcile.html", context)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress (the page refreshes itself with htmx while it runs)."""
    run = get_run_for(request.user, pk)
    context = {
        "run": run,
        "found": ReconciliationItem.objects.visible_to(request.user).filter(run=run).count(),
    }
    if getattr(request, "htmx", None):
        return render(request, "wikidata/run.html#progress", context)
    return render(request, "wikidata/run.html", context)


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """The suggestions waiting for the viewer: each organization with its candidates, best
    first; accept one, type another or reject them all."""
    pending = (
        ReconciliationItem.objects.visible_to(request.user)
        .pending()
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    page = Paginator(pending, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(s, PickForm(candidates=s.candidates, prefix=f"s{s.pk}")) for s in page]
    return render(request, "wikidata/review.html", {"page": page, "rows": rows})


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer's pick (a candidate or a typed item): on to the apply page for it."""
    suggestion = get_suggestion_for(request.user, pk)
    form = PickForm(request.POST, candidates=suggestion.candidates, prefix=f"s{suggestion.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("%(name)s: %(errors)s")
            % {
                "name": suggestion.organization.name,
                "errors": " ".join(str(e) for errors in form.errors.values() for e in errors),
            },
        )
        return redirect("wikidata:review")
    url = reverse("wikidata:apply", args=[suggestion.organization_id])
    return redirect(f"{url}?qid={form.cleaned_data['qid']}&suggestion={suggestion.pk}")


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for(request.user, pk)
    try:
        services.suggestion_reject(actor=request.user, suggestion=suggestion)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("No item for %(name)s.") % {"name": suggestion.organization.name},
        )
    return redirect("wikidata:review")


# --- duplicates ---------------------------------------------------------------------------------


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """Organizations the viewer may change that share a Wikidata item, two by two, each pair
    with the directory's merge (which keeps every partnership and the history of both). A QID
    is not unique in the database: imported data hold duplicates, and this page finds them."""
    editable = Organization.objects.facts_editable_by(request.user)
    if not editable.exists():
        raise PermissionDenied
    shared = (
        editable.exclude(wikidata_id="")
        .values("wikidata_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("wikidata_id")
    )
    groups: dict[str, list[Organization]] = defaultdict(list)
    for org in editable.filter(wikidata_id__in=shared).order_by("wikidata_id", "created_at", "pk"):
        groups[org.wikidata_id].append(org)
    pairs = [(qid, orgs[0], other) for qid, orgs in groups.items() for other in orgs[1:]]
    page = Paginator(pairs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    counts = merging.reference_counts([o.pk for _q, a, b in page for o in (a, b)])
    rows = [
        {"qid": qid, "keep": a, "other": b, "counts": (counts[a.pk], counts[b.pk])}
        for qid, a, b in page
    ]
    return render(request, "wikidata/duplicates.html", {"page": page, "rows": rows})
