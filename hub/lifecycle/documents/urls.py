"""The documents pages' URLs; hub/lifecycle/urls.py gathers them under the `lifecycle` namespace."""

from django.urls import path

from hub.lifecycle.documents import views

urlpatterns = [
    path("partnerships/<int:pk>/documents/", views.document_list, name="document_list"),
    path(
        "partnerships/<int:pk>/documents/new/",
        views.document_generate,
        name="document_generate",
    ),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/regenerate/", views.document_regenerate, name="document_regenerate"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/upload/", views.template_upload, name="template_upload"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/history/", views.template_history, name="template_history"),
    path(
        "templates/versions/<int:pk>/download/",
        views.template_version_download,
        name="template_version_download",
    ),
]
