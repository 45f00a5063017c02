from django.urls import path

from hub.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("export/", views.partnership_export, name="export"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("<int:pk>/end/", views.partnership_end, name="end"),
    path("<int:pk>/history/", views.partnership_history, name="history"),
    path("form/participant-row/", views.participant_row, name="participant_row"),
    path("form/who-works-with/", views.who_works_with, name="who_works_with"),
    path("form/organization-options/", views.organization_options, name="organization_options"),
    path("form/partnership-options/", views.partnership_options, name="partnership_options"),
]
