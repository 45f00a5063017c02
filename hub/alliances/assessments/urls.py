"""The assessments pages' URLs; hub/alliances/urls.py gathers them under the `alliances` namespace."""

from django.urls import path

from hub.alliances.assessments import views

urlpatterns = [
    path("<int:pk>/assessments/", views.alliance_assessments, name="assessments"),
    path("<int:pk>/assessments.csv", views.assessments_csv, name="assessments_csv"),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="assessment_history"),
    path("<int:pk>/roles/", views.alliance_roles, name="roles"),
    path("<int:pk>/roles.csv", views.roles_csv, name="roles_csv"),
]
