"""The import pages, namespace `imports`; hub/urls.py includes them at /in-kind/ (the paths they
had under funding)."""

from django.urls import path

from hub.imports import views

app_name = "imports"

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
]
