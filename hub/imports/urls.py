"""The import pages, namespace `imports`; hub/urls.py includes them at the root.

The in-kind upload page keeps the address it had under funding (/in-kind/import/); the other kinds'
upload pages are /import/<kind>/, the import from a wiki page /import/wiki/ (before them: "wiki"
would match <kind>), and every job's pages /import/<id>/... (the job pages' old
/in-kind/import/<id>/ addresses redirect there)."""

from django.urls import path
from django.views.generic import RedirectView

from hub.imports import views, wikipages

app_name = "imports"

urlpatterns = [
    path("in-kind/import/", views.import_upload, name="import_upload"),
    path(
        "in-kind/import/<int:pk>/",
        RedirectView.as_view(pattern_name="imports:import_detail", permanent=True),
    ),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/matches/", views.import_matches, name="import_matches"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    # after the job pages: "import/12/" is a job, not a kind
    path("import/wiki/", wikipages.import_wiki, name="import_wiki"),
    path("import/<slug:kind>/", views.import_upload, name="import_kind_upload"),
]
