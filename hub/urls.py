from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from hub.mapping import views as mapping_views

# The admin signs in through the hub's sign-in page, so its throttling and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# allauth answers its rate limits with this view.
handler429 = "hub.accounts.views.too_many_requests"

urlpatterns = [
    path("", mapping_views.home_page, name="home"),
    path("partnerships/", include("hub.partnerships.urls")),
    path("organizations/", include("hub.directory.urls")),
    path("search/", include("hub.core.search.urls")),
    path("account/", include("hub.accounts.urls")),
    path("account/", include("hub.directory.member_urls")),
    path("account/", include("hub.accounts.allauth_urls")),
    path("", include("hub.mapping.urls")),
    path("in-kind/", include("hub.funding.urls")),
    # the spreadsheet and wiki-page imports (imports:import_*): /in-kind/import/, /import/...
    path("", include("hub.imports.urls")),
    path("", include("hub.lifecycle.urls")),
    path("knowledge/", include("hub.knowledge.urls")),
    path("meetings/", include("hub.meetings.urls")),
    path("alliances/", include("hub.alliances.urls")),
    path("outcomes/", include("hub.outcomes.urls")),
    path("wiki/wikidata/", include("hub.wiki.wikidata.urls")),
    path("wiki/", include("hub.wiki.urls")),
    path("api/", include("hub.api.urls")),
    path("reconcile/", include("hub.api.reconcile.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
