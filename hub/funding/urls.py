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
