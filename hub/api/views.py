"""Pages around the API: personal tokens, the open-data downloads, the docs' bundled assets."""

import mimetypes
from pathlib import Path

import ninja
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hub.api import opendata, problems, services
from hub.api.forms import TokenForm
from hub.api.models import ApiToken
from hub.api.tasks import rebuild_open_data
from hub.core.forms import apply_service_errors

DOCS_ASSETS = {
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-init.js",
    "favicon.png",
    "favicon.svg",
}
NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"


def get_token_for(user, pk: int) -> ApiToken:
    token = ApiToken.objects.owned_by(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's personal tokens; a new token's secret is shown on this answer only."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.apitoken_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            created = {"token": token, "secret": secret}
            form = TokenForm()
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.owned_by(request.user),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for(request.user, pk)
    services.apitoken_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("apisite:tokens")


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    manifest = opendata.read_manifest()
    files = []
    folder = opendata.default_dir()
    for name in sorted(opendata.published_files(manifest)):
        path = folder / name
        if path.is_file():
            files.append({"name": name, "size": path.stat().st_size})
    return render(request, "api/open_data.html", {"manifest": manifest, "files": files})


@require_POST
def open_data_rebuild(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{settings_login_url()}?next={request.path}")
    if not request.user.is_staff:
        raise PermissionDenied
    rebuild_open_data.enqueue()
    messages.success(
        request, _("The dumps will be rebuilt in the background; reload this page in a while.")
    )
    return redirect("apisite:open_data")


def settings_login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@require_GET
def open_data_file(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in opendata.published_files(opendata.read_manifest()):
        raise Http404
    path = opendata.default_dir() / name
    if not path.is_file():
        raise Http404
    types = {".jsonld": "application/ld+json", ".md": "text/markdown; charset=utf-8"}
    content_type = types.get(path.suffix) or (
        (mimetypes.guess_type(name)[0] or "application/octet-stream")
        + ("; charset=utf-8" if path.suffix in (".csv", ".json", ".txt") else "")
    )
    return FileResponse(path.open("rb"), content_type=content_type, as_attachment=False)


@require_GET
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    """Swagger UI's files from the installed django-ninja, so /api/v1/docs works offline."""
    if name not in DOCS_ASSETS:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def problem_type(request: HttpRequest, slug: str) -> HttpResponse:
    """The page a problem's `type` address leads to: what the problem means and what to do."""
    found = [(status, title) for status, (s, title) in problems.TITLES.items() if s == slug]
    if not found:
        return problems.problem(404, _("There is no such problem type."))
    status, title = found[0]
    return render(
        request,
        "api/problem_type.html",
        {"slug": slug, "status": status, "title": _(title), "meaning": _(problems.MEANINGS[slug])},
    )


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/v1/: a problem, not an HTML page."""
    return problems.problem(404, _("There is no such API address."))
