from django.urls import path

from hub.mapping import views

app_name = "mapping"

urlpatterns = [
    path("mapping/", views.mapping, name="index"),
    path("mapping/<slug:name>.<slug:fmt>", views.chart, name="chart"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:name>.<slug:fmt>", views.dashboard_chart, name="dashboard_chart"),
]
