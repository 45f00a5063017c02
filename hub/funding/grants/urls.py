from django.urls import path

from hub.funding.grants import views

# Included by hub/funding/urls.py under the "funding" namespace.
urlpatterns = [
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/due/", views.grant_due, name="grant_due"),
    path("grants/export/", views.grant_export, name="grant_export"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/edit/", views.grant_edit, name="grant_edit"),
    path("grants/<int:pk>/history/", views.grant_history, name="grant_history"),
    path("grants/<int:pk>/deadlines/", views.deadline_create, name="deadline_create"),
    path("deadlines/<int:pk>/done/", views.deadline_done, name="deadline_done"),
    path("deadlines/<int:pk>/delete/", views.deadline_delete, name="deadline_delete"),
]
