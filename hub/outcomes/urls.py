from django.urls import path

from hub.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("definitions/", views.definition_list, name="definitions"),
    path("definitions/<slug:key>/v<int:version>/", views.definition_detail, name="definition"),
    path("partnership/<int:pk>/new/", views.figure_create, name="figure_create"),
    path("partnership/<int:pk>/commons/", views.commons_fetch, name="commons_fetch"),
    path("partnership/<int:pk>/dashboard/", views.dashboard_import, name="dashboard_import"),
    path("figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/delete/", views.figure_delete, name="figure_delete"),
    path("figures/<int:pk>/history/", views.figure_history, name="figure_history"),
]
