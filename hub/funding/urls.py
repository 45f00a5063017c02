from django.urls import include, path

from hub.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.contribution_list, name="list"),
    path("new/", views.contribution_create, name="contribution_create"),
    path("export/", views.contribution_export, name="contribution_export"),
    path("<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("<int:pk>/archive/", views.contribution_archive, name="contribution_archive"),
    path("<int:pk>/history/", views.contribution_history, name="contribution_history"),
    path("<int:pk>/evidence/", views.contribution_evidence, name="contribution_evidence"),
    path("rates/", views.rate_index, name="rate_index"),
    path("rates/<int:organization>/", views.rate_list, name="rate_list"),
    path("rates/edit/<int:pk>/", views.rate_edit, name="rate_edit"),
    path("rates/delete/<int:pk>/", views.rate_delete, name="rate_delete"),
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
    path("currency/", views.currency_choice, name="currency"),
    path("exchange-rates/upload/", views.exchange_rates_upload, name="exchange_rates_upload"),
    path("infographic/", views.infographic_page, name="infographic"),
    path("infographic/<str:fmt>/", views.infographic_download, name="infographic_download"),
    # the spreadsheet import's pages (funding:import_*), defined by hub/funding/imports/
    path("", include("hub.funding.imports.urls")),
]
