import importlib.util

from django.urls import include, path

from hub.funding import views

app_name = "funding"

# Each sub-domain's pages, under this one "funding" namespace (names and paths as they were).
urlpatterns = [
    path("", include("hub.funding.contributions.urls")),
    path("", include("hub.funding.rates.urls")),
    path("", include("hub.funding.grants.urls")),
    path("", include("hub.funding.exchange_rates.urls")),
    path("infographic/", views.infographic_page, name="infographic"),
    path("infographic/<str:fmt>/", views.infographic_download, name="infographic_download"),
]

# The spreadsheet import (hub/funding/importing.py, by its own engineer) adds its pages here:
# it defines `urlpatterns` there, with names under this same "funding" namespace.
if importlib.util.find_spec("hub.funding.importing") is not None:
    from hub.funding import importing

    urlpatterns += getattr(importing, "urlpatterns", [])
