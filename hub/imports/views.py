"""Pages of the spreadsheet import: upload -> map columns -> preview -> confirm -> result.

Each view: fetch the job with permission (imports/access.py), validate a form, call the import or a
step of the job (imports/jobs.py), respond. Checking and
importing run in the request for small files and as a background task for large ones.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from hub.core.tabular import TabularError, list_sheets, open_table
from hub.directory.models import Organization
from hub.imports import jobs, tasks
from hub.imports.access import get_import_job_for
from hub.imports.engine import estimate_rows
from hub.imports.forms import ConfirmForm, MappingForm, MatchesForm, SheetForm, UploadForm
from hub.imports.kinds import (
    CONTRIBUTIONS,
    KINDS,
    ImportKind,
    get_kind,
    kind_of,
    unknown_header,
)
from hub.imports.models import ImportJob

logger = logging.getLogger(__name__)


@login_required
def import_upload(request: HttpRequest, kind: str = CONTRIBUTIONS) -> HttpResponse:
    try:
        chosen = get_kind(kind)
    except LookupError:
        raise Http404 from None
    organizations = chosen.organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("You can import only for organizations you edit for."))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations.order_by("name"),
        currency="currency" in chosen.by_name,
    )
    if chosen.name != CONTRIBUTIONS:
        # only contributions have a receiving organization; the others are imported for one
        form.fields["organization"].label = _("For which organization")
    if request.method == "POST" and form.is_valid():
        jobs.discard_stale_uploads()  # files pile up with uploads: clear what was left behind
        job = _store_upload(request, form, chosen)
        if job is not None:
            return redirect("imports:import_mapping", pk=job.pk)
    recent = ImportJob.objects.editable_by(request.user).select_related("organization")[:10]
    return render(
        request,
        "imports/import_upload.html",
        {"form": form, "jobs": recent, "kind": chosen, "kinds": list(KINDS.values())},
    )


def upload_url(kind: ImportKind) -> str:
    """The upload page of a kind (the in-kind one keeps its address under /in-kind/)."""
    if kind.name == CONTRIBUTIONS:
        return reverse("imports:import_upload")
    return reverse("imports:import_kind_upload", args=[kind.name])


def _store_upload(request: HttpRequest, form: UploadForm, kind: ImportKind) -> ImportJob | None:
    """The uploaded file's job (see create_job), or None with the problems on the form."""
    upload = form.cleaned_data["file"]
    original = Path(upload.name).name[:255]
    suffix = Path(original).suffix.lower()[:8]
    try:
        with _checked_copy(upload, suffix) as path:
            return create_job(
                kind=kind,
                organization=form.cleaned_data["organization"],
                user=request.user,
                path=path,
                content=upload,
                original_name=original,
                default_currency=form.cleaned_data.get("default_currency", "EUR"),
                day_first=form.cleaned_data["day_first"],
            )
    except TabularError as exc:
        for problem in exc.problems:
            form.add_error("file", str(problem))
    except Exception:  # a file no check foresaw: say so, never answer 500
        logger.exception("upload %r could not be read", original)
        form.add_error("file", _("The file could not be read; it looks damaged."))
    return None


def create_job(
    *,
    kind: ImportKind,
    organization: Organization,
    user,
    path: str,
    content: File,
    original_name: str,
    default_currency: str = "EUR",
    day_first: bool = True,
    source_url: str = "",
    source_revision: int | None = None,
) -> ImportJob:
    """Check the file at `path` (a copy of `content`), then store `content` with its new job, or
    neither: a refused (or failing) file never reaches MEDIA_ROOT, and a stored one always has
    its job row, so the cleanup of stale uploads finds it. Raises TabularError for a file that
    cannot be read. A wiki page's tables arrive here as a `.wikitext` file, with the page's
    address and revision (`source_url`, `source_revision`)."""
    table = open_table(path, name=original_name, header_words=kind.header_words())
    suffix = Path(original_name).suffix.lower()[:10]
    job = ImportJob(
        kind=kind.name,
        organization=organization,
        created_by=user if user.is_authenticated else None,
        original_name=original_name,
        default_currency=default_currency,
        day_first=day_first,
        estimated_rows=estimate_rows(path, table.format, table.sheet),
        sheet=table.sheet,
        headers=[h for h in table.headers if h],
        source_url=source_url,
        source_revision=source_revision,
    )
    job.mapping = kind.proposed_mapping(job.headers, organization)
    if refusal := unknown_header(kind, table, job.mapping):
        raise refusal
    content.seek(0)
    # stored under a name of our own; the person's name only says which format to expect
    job.file.save(f"{uuid.uuid4().hex}{suffix}", content, save=False)
    try:
        job.save()
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


@contextlib.contextmanager
def _checked_copy(upload, suffix: str) -> Iterator[str]:
    """The upload as a file of its own on the temporary disk (Django's, for a large upload),
    deleted when the check is over."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name


def _read_sheet(job: ImportJob, sheet: str) -> None:
    """Read another sheet of the job's workbook: its headers and their proposed mapping."""
    kind = kind_of(job)
    table = open_table(
        job.file.path, name=job.original_name, header_words=kind.header_words(), sheet=sheet
    )
    mapping = kind.proposed_mapping([h for h in table.headers if h], job.organization)
    if refusal := unknown_header(kind, table, mapping):
        raise refusal
    job.sheet = table.sheet
    job.headers = [h for h in table.headers if h]
    job.mapping = mapping
    job.estimated_rows = estimate_rows(job.file.path, table.format, table.sheet)
    job.save(update_fields=["sheet", "headers", "mapping", "estimated_rows", "updated_at"])


def _sheet_form(request: HttpRequest, job: ImportJob) -> SheetForm | None:
    """The choice of sheet, for a workbook with more than one worksheet."""
    try:
        listed = list_sheets(job.file.path, name=job.original_name)
    except TabularError:
        return None
    sheets = [(s.name, s.hidden) for s in listed if s.worksheet]
    if len(sheets) < 2:
        return None
    return SheetForm(
        request.POST or None,
        sheets=sheets,
        tables=bool(job.source_url),
        initial={"sheet": job.sheet},
    )


@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    restartable = job.status == ImportJob.Status.FAILED and bool(job.file)
    if (
        job.status not in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED)
        and not restartable
    ):
        return redirect(job)
    sheet_form = _sheet_form(request, job) if job.file else None
    if request.method == "POST" and sheet_form is not None and sheet_form.is_valid():
        chosen = sheet_form.cleaned_data["sheet"]
        if chosen and chosen != job.sheet:
            # another sheet has other columns: show them before checking anything
            try:
                _read_sheet(job, chosen)
            except TabularError as exc:
                for problem in exc.problems:
                    sheet_form.add_error("sheet", str(problem))
            else:
                messages.info(
                    request,
                    _("The sheet “%(sheet)s” was read: check which column holds what.")
                    % {"sheet": job.sheet},
                )
                return redirect("imports:import_mapping", pk=job.pk)
    headers = [h for h in job.headers if h in job.mapping] or list(job.mapping)
    kind = kind_of(job)
    form = MappingForm(
        request.POST or None, headers=headers, mapping=job.mapping, targets=kind.targets
    )
    sheet_ok = sheet_form is None or not sheet_form.errors
    if (
        request.method == "POST"
        and "read_sheet" not in request.POST
        and sheet_ok
        and form.is_valid()
    ):
        job.mapping = form.mapping()
        job.save(update_fields=["mapping", "updated_at"])
        kind.remember_mapping(
            actor=request.user, organization=job.organization, mapping=job.mapping
        )
        _start(request, job, tasks.PREVIEW)
        return redirect(job)
    return render(
        request,
        "imports/import_mapping.html",
        {"job": job, "form": form, "sheet_form": sheet_form, "kind": kind},
    )


@require_GET
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    return render(request, "imports/import_detail.html", _detail_context(job))


def _detail_context(job: ImportJob) -> dict:
    preview = job.preview or {}
    result = job.result or {}
    kind = kind_of(job)
    uncertain = preview.get("uncertain") or []
    return {
        "job": job,
        "kind": kind,
        "upload_url": upload_url(kind),
        "done_message": kind.done_message(result.get("created") or 0),
        "matches_form": MatchesForm(uncertain=uncertain) if uncertain else None,
        "preview": preview,
        "result": result,
        "has_problems": bool(preview.get("problem_count") or preview.get("fatal")),
        # what confirming adds: the valid rows not imported before
        "to_add": max(0, (preview.get("valid_rows") or 0) - (preview.get("already_imported") or 0)),
        "more_problems": max(
            0, (preview.get("problem_count") or 0) - len(preview.get("problems") or [])
        ),
    }


@require_GET
@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone (htmx polls it); once the work is done, the whole page reloads."""
    job = get_import_job_for(request.user, pk)
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if not job.running and htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("imports:import_detail", args=[job.pk])
        return response
    return render(request, "imports/import_detail.html#progress", {"job": job})


@require_POST
@login_required
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    form = ConfirmForm(request.POST)
    if job.status != ImportJob.Status.PREVIEWED or not form.is_valid():
        return redirect(job)
    preview = job.preview or {}
    if preview.get("fatal"):
        messages.error(request, _("This file cannot be imported; upload a corrected one."))
        return redirect(job)
    skip = form.cleaned_data["skip_invalid"]
    if preview.get("problem_count") and not skip:
        messages.error(
            request,
            _("Fix the file and upload it again, or choose to skip the rows with problems."),
        )
        return redirect(job)
    # the job's page says what was imported (or shows the progress of a large file)
    _start(request, job, tasks.IMPORT, skip_invalid=skip)
    return redirect(job)


def _start(request: HttpRequest, job: ImportJob, phase: str, **options) -> None:
    try:
        tasks.start(job, phase, request.user, **options)
    except jobs.AlreadyRunning:
        # another request (a second click, another tab) started it first: its page tells
        messages.info(
            request,
            _("This file is already being imported; this page shows how far it got.")
            if phase == tasks.IMPORT
            else _("This file is already being checked; this page shows how far it got."),
        )


@require_POST
@login_required
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for(request.user, pk)
    if not jobs.job_discard(job):  # it is being checked or imported
        messages.error(request, _("Wait until the file has been processed."))
        return redirect(job)
    messages.success(request, _("The uploaded file was discarded."))
    return redirect(upload_url(kind_of(job)))


@require_POST
@login_required
def import_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's choice for each uncertain match the check found (which directory
    organization a name means, or a new one); the file is then checked again with them."""
    job = get_import_job_for(request.user, pk)
    if job.status != ImportJob.Status.PREVIEWED:
        return redirect(job)
    uncertain = (job.preview or {}).get("uncertain") or []
    form = MatchesForm(request.POST, uncertain=uncertain)
    if not form.is_valid():
        messages.error(request, _("Choose an organization for each name, or add it as new."))
        return redirect(job)
    jobs.job_choices_set(job, form.choices())
    _start(request, job, tasks.PREVIEW)
    return redirect(job)
