from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="partnerships:list"), name="home"),
    path("partnerships/", include("hub.partnerships.urls")),
    path("organizations/", include("hub.directory.urls")),
    path("account/", include("hub.accounts.urls")),
    path("", include("hub.mapping.urls")),
    path("in-kind/", include("hub.funding.urls")),
    path("api/", include("hub.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
