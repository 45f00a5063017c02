"""The agreements pages' URLs; hub/lifecycle/urls.py gathers them under the `lifecycle` namespace."""

from django.urls import path

from hub.lifecycle.agreements import views

AGREEMENT = "partnerships/<int:pk>/agreements/<int:agreement_pk>/"

urlpatterns = [
    path("partnerships/<int:pk>/agreements/", views.agreement_list, name="agreement_list"),
    path("partnerships/<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path(AGREEMENT, views.agreement_detail, name="agreement_detail"),
    path(f"{AGREEMENT}edit/", views.agreement_edit, name="agreement_edit"),
    path(f"{AGREEMENT}history/", views.agreement_history, name="agreement_history"),
    path(f"{AGREEMENT}files/", views.agreement_file_upload, name="agreement_file_upload"),
    path(
        f"{AGREEMENT}files/<int:number>/",
        views.agreement_file_download,
        name="agreement_file_download",
    ),
    path("agreements/export/", views.agreement_export, name="agreement_export"),
]
