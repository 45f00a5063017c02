"""Pages of an alliance's collective-impact assessments and its role map: fetch with permission,
validate, call a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.alliances.assessments import evidence, rubric, services
from hub.alliances.assessments.access import get_alliance_for, get_assessment_for
from hub.alliances.assessments.chart import timeline_svg
from hub.alliances.assessments.forms import AssessmentForm
from hub.alliances.assessments.models import Assessment, Evidence, Score, assessing_for
from hub.alliances.assessments.roles import role_map
from hub.alliances.assessments.summary import comparison, latest_per_assessor, timeline
from hub.core import history
from hub.core.charts import rows_to_csv
from hub.core.forms import call_service, stale_message
from hub.directory.models import Organization


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(rows_to_csv(header, rows), content_type="text/csv; charset=utf-8")
    filename = f"{slugify(name) or 'export'}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def alliance_assessments(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, pk)
    latest = latest_per_assessor(request.user, alliance)
    rows = timeline(request.user, alliance)
    drafts = (
        Assessment.objects.visible_to(request.user).filter(
            alliance=alliance, assessor=request.user, sharing=Assessment.Sharing.DRAFT
        )
        if request.user.is_authenticated
        else Assessment.objects.none()
    )
    return render(
        request,
        "alliances/assessments.html",
        {
            "alliance": alliance,
            "latest": latest,
            "comparison": comparison(latest),
            "timeline": rows,
            "parts": rubric.PARTS,
            "svg": timeline_svg(rows, alliance.name),
            "drafts": drafts,
            "can_assess": assessing_for(request.user, alliance).exists(),
            "levels": rubric.LEVELS,
        },
    )


@require_GET
def assessments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every score of the shared assessments the reader may see, one a row."""
    alliance = get_alliance_for(request.user, pk)
    assessments = {row.assessment_id: row for row in timeline(request.user, alliance)}
    found = list(Evidence.objects.filter(score__assessment_id__in=assessments).order_by("pk"))
    links = evidence.shown(request.user, found)
    scores = Score.objects.filter(assessment_id__in=assessments).order_by(
        "assessment__assessed_on", "assessment_id", "pk"
    )
    header = [
        _("Date"),
        _("Assessor"),
        _("On behalf of"),
        _("Part"),
        _("Item"),
        _("Level"),
        _("Level name"),
        _("Comment"),
        _("Evidence"),
    ]
    out = []
    for score in scores:
        row = assessments[score.assessment_id]
        item = rubric.BY_KEY[score.item]
        out.append(
            [
                row.assessed_on.isoformat(),
                row.assessor,
                row.organization,
                str(rubric.PARTS[item.part]),
                str(item.label),
                score.level if score.level is not None else "",
                rubric.level_label(score.level),
                score.comment,
                " ".join(request.build_absolute_uri(s.url) for s in links.get(score.pk, [])),
            ]
        )
    return _csv(f"{alliance.name} assessments", header, out)


def _edit(request: HttpRequest, alliance: Organization, assessment: Assessment | None):
    organizations = assessing_for(request.user, alliance)
    if assessment is not None:
        organizations = Organization.objects.filter(
            Q(pk__in=organizations.values("pk")) | Q(pk=assessment.organization_id)
        ).order_by("name")
    evidence_text = _evidence_text(request.user, assessment) if assessment else None
    form = AssessmentForm(
        request.POST or None,
        user=request.user,
        organizations=organizations,
        instance=assessment,
        evidence_text=evidence_text,
        host=request.get_host(),
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        stale = stale_message(_("assessment"))
        if assessment is None:
            saved = call_service(
                form,
                lambda: services.assessment_create(
                    actor=request.user, alliance=alliance, **arguments
                ),
                stale=stale,
                permission_field="organization",
            )
        else:
            saved = call_service(
                form,
                lambda: services.assessment_update(
                    actor=request.user,
                    assessment=assessment,
                    expected_version=form.cleaned_data.get("version"),
                    **arguments,
                ),
                stale=stale,
                permission_field="organization",
            )
        if saved is not None:
            messages.success(request, _("Assessment saved."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "alliances/assessment_form.html",
        {"form": form, "alliance": alliance, "assessment": assessment},
        status=status,
    )


def _evidence_text(user, assessment: Assessment) -> dict[str, str]:
    scores = {s.pk: s.item for s in assessment.scores.all()}
    shown = evidence.shown(user, Evidence.objects.filter(score_id__in=scores))
    return {scores[score_id]: "\n".join(s.url for s in links) for score_id, links in shown.items()}


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, pk)
    if not assessing_for(request.user, alliance).exists():
        raise PermissionDenied(
            _("Editors of the alliance or of one of its member organizations assess it.")
        )
    return _edit(request, alliance, None)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, edit=True)
    return _edit(request, assessment.alliance, assessment)


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    scores = {s.item: s for s in assessment.scores.all()}
    shown = evidence.shown(request.user, Evidence.objects.filter(score__assessment=assessment))
    rows = [
        {
            "item": item,
            "score": scores.get(item.key),
            "evidence": shown.get(scores[item.key].pk, []) if item.key in scores else [],
        }
        for item in rubric.ITEMS
    ]
    can_edit = Assessment.objects.editable_by(request.user).filter(pk=assessment.pk).exists()
    return render(
        request,
        "alliances/assessment_detail.html",
        {"assessment": assessment, "rows": rows, "can_edit": can_edit, "parts": rubric.PARTS},
    )


@login_required
@require_POST
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, edit=True)
    alliance = assessment.alliance
    services.assessment_delete(actor=request.user, assessment=assessment)
    messages.success(request, _("Assessment deleted."))
    return redirect("alliances:assessments", alliance.pk)


@require_GET
def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    return render(
        request,
        "core/history.html",
        {"object": assessment, "entries": history.read(request.user, assessment)},
    )


@require_GET
def alliance_roles(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, pk)
    return render(
        request,
        "alliances/roles.html",
        {"alliance": alliance, "map": role_map(request.user, alliance)},
    )


@require_GET
def roles_csv(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, pk)
    found = role_map(request.user, alliance)
    header = [
        _("Organization"),
        _("Kind"),
        _("Member"),
        *[str(role.label) for role in found.roles],
        _("All roles"),
    ]
    rows = [
        [
            row.organization.name,
            row.organization.get_kind_display(),
            _("yes") if row.is_member else _("no"),
            *row.counts,
            row.total,
        ]
        for row in found.rows
    ]
    return _csv(f"{alliance.name} roles", header, rows)
