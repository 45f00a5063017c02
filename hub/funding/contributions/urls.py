from django.urls import path

from hub.funding.contributions import views

# Included by hub/funding/urls.py under the "funding" namespace.
urlpatterns = [
    path("", views.contribution_list, name="list"),
    path("new/", views.contribution_create, name="contribution_create"),
    path("export/", views.contribution_export, name="contribution_export"),
    path("<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("<int:pk>/archive/", views.contribution_archive, name="contribution_archive"),
    path("<int:pk>/history/", views.contribution_history, name="contribution_history"),
    path("<int:pk>/evidence/", views.contribution_evidence, name="contribution_evidence"),
]
