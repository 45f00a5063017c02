from django.urls import path

from hub.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("duplicates/", views.organization_duplicates, name="duplicates"),
    path("export/", views.organization_export, name="export"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("<int:pk>/merge/<int:other>/", views.organization_merge, name="merge"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/history/", views.organization_history, name="history"),
    path("<int:pk>/members/add/", views.alliance_member_add, name="member_add"),
    path("<int:pk>/contacts/new/", views.person_create, name="person_create"),
    path("contacts/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("contacts/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("contacts/<int:pk>/history/", views.person_history, name="person_history"),
    path("contacts/<int:pk>/export.<str:fmt>", views.person_export, name="person_export"),
    path("contacts/<int:pk>/erase/", views.person_erase, name="person_erase"),
]
