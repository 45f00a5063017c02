"""Import from a wiki page: its wikitables offered as the sheets of a workbook.

A person names a wiki and a page title; the hub reads the page's current revision through the
Action API (hub/wiki), stores its wikitext as a `.wikitext` file and makes an import job of it
exactly as for an uploaded spreadsheet (`views.create_job`), so choosing the table, mapping the
columns, checking and importing are the spreadsheet's. The job keeps the revision's permanent
address and id (`source_url`, `source_revision`): where every record it brings came from.
"""

from __future__ import annotations

import logging
import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hub.core.tabular import TabularError
from hub.directory.models import Organization
from hub.imports import jobs
from hub.imports.forms import WikiImportForm
from hub.imports.kinds import CONTRIBUTIONS, KINDS, ImportKind
from hub.imports.models import ImportJob
from hub.imports.views import create_job
from hub.wiki.client import WikiClient, WikiError

logger = logging.getLogger(__name__)

SUFFIX = ".wikitext"


def wiki_job_create(
    *,
    kind: ImportKind,
    organization: Organization,
    user,
    api_url: str,
    title: str,
    day_first: bool = True,
) -> ImportJob:
    """Read the page `title` from the wiki at `api_url` and make an import job of its tables,
    as `create_job` does of an uploaded file. Use it for every import from a wiki page. Raises
    WikiError when the page cannot be read, TabularError when it holds no table to import."""
    # the page alone, not page_tables: its tables are read once, by create_job, and only after
    # the size check (a page far larger than the hub reads would take minutes to parse)
    page = WikiClient().page(api_url, title)
    # the title keeps the job's name readable; the stored file gets a name of the hub's own
    original_name = f"{page.title[: 255 - len(SUFFIX)]}{SUFFIX}"
    with tempfile.NamedTemporaryFile(suffix=SUFFIX, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        copy.write(page.wikitext.encode("utf-8"))
        copy.flush()
        return create_job(
            kind=kind,
            organization=organization,
            user=user,
            path=copy.name,
            content=File(copy),
            original_name=original_name,
            day_first=day_first,
            source_url=page.permalink,
            source_revision=page.revision,
        )


def _kind_asked(request: HttpRequest) -> ImportKind:
    """The kind the form is for: as posted, else ?kind=, else contributions (unknown ones too)."""
    name = request.POST.get("kind") or request.GET.get("kind") or CONTRIBUTIONS
    return KINDS.get(name) or KINDS[CONTRIBUTIONS]


@login_required
def import_wiki(request: HttpRequest) -> HttpResponse:
    kind = _kind_asked(request)
    organizations = kind.organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("You can import only for organizations you edit for."))
    form = WikiImportForm(
        request.POST or None,
        organizations=organizations.order_by("name"),
        initial={"kind": kind.name},
    )
    if request.method == "POST" and form.is_valid():
        jobs.discard_stale_uploads()  # files pile up with imports: clear what was left behind
        title = form.cleaned_data["title"]
        try:
            job = wiki_job_create(
                kind=kind,
                organization=form.cleaned_data["organization"],
                user=request.user,
                api_url=form.cleaned_data["api_url"],
                title=title,
                day_first=form.cleaned_data["day_first"],
            )
        except WikiError as exc:
            form.add_error("title", str(exc))
        except TabularError as exc:
            for problem in exc.problems:
                form.add_error("title", str(problem))
        except Exception:  # a page no check foresaw: say so, never answer 500
            logger.exception("wiki page %r could not be read", title)
            form.add_error(
                "title",
                _("The page '%(title)s' could not be read as tables.") % {"title": title[:200]},
            )
        else:
            return redirect("imports:import_mapping", pk=job.pk)
    return render(request, "imports/import_wiki.html", {"form": form, "kind": kind})
