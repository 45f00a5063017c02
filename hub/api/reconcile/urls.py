"""/reconcile/: the W3C reconciliation service over the directory (hub/api/reconcile)."""

from django.urls import path

from hub.api.reconcile import views

app_name = "reconcile"

urlpatterns = [
    path("", views.service, name="service"),
    path("preview/<str:entity>/", views.preview, name="preview"),
    path("suggest/entity/", views.suggest_entity, name="suggest_entity"),
    path("suggest/type/", views.suggest_type, name="suggest_type"),
    path("suggest/property/", views.suggest_property, name="suggest_property"),
]
