"""The resource library's URLs; hub/knowledge/urls.py gathers them under `knowledge:`."""

from django.urls import URLPattern, path

from hub.knowledge.resources import views

urlpatterns: list[URLPattern] = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path("resources/<int:pk>/file/", views.resource_file, name="resource_file"),
    path("resources/<int:pk>/history/", views.resource_history, name="resource_history"),
]
