"""/api/: the versioned API (namespace "api") and the pages around it (namespace "apisite")."""

from functools import wraps

from django.http import Http404
from django.urls import URLPattern, include, path

from hub.api import problems, views
from hub.api.api import api


def _problem_answers(view):
    """Whatever ninja answers outside its handlers (405, the root's 404) becomes problem+json."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return problems.problem(404)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            problems.CONTENT_TYPE
        ):
            if response.status_code == 405:
                allowed = response.get("Allow", "")
                return problems.problem(405, headers={"Allow": allowed})
            if response.status_code == 404:
                return problems.problem(404)
        return response

    return wrapped


def _api_patterns():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _problem_answers(pattern.callback)
    return patterns, app_name, namespace


site_patterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/rebuild/", views.open_data_rebuild, name="open_data_rebuild"),
    path("open-data/<str:name>", views.open_data_file, name="open_data_file"),
    path("v1/docs-assets/<str:name>", views.docs_asset, name="docs_asset"),
    path("v1/problems/<slug:slug>", views.problem_type, name="problem_type"),
    path("v1/<path:rest>", views.not_found, name="not_found"),
]

urlpatterns = [
    path("v1/", _api_patterns()),
    path("", include((site_patterns, "apisite"))),
]
