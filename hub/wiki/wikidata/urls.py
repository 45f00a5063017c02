"""Mounted at `wiki/wikidata/` under the namespace `wikidata` (hub/urls.py)."""

from django.urls import path

from hub.wiki.wikidata import views

app_name = "wikidata"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/pick/", views.pick, name="pick"),
    path("organizations/<int:pk>/", views.apply, name="apply"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("reconcile/<int:pk>/", views.run_detail, name="run"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/choose/", views.choose, name="choose"),
    path("review/<int:pk>/reject/", views.reject, name="reject"),
    path("duplicates/", views.duplicates, name="duplicates"),
]
