from django.urls import path

from hub.wiki.publishing import views

app_name = "wiki"

urlpatterns = [
    path("connections/", views.connection_list, name="connections"),
    path("connections/new/", views.connection_create, name="connection_create"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection_delete"),
    path(
        "publish/<str:kind>/<int:pk>/",
        views.publish,
        name="publish",
    ),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<int:pk>/", views.publication_detail, name="publication"),
    path(
        "publications/<int:pk>/take-back/",
        views.publication_take_back,
        name="publication_take_back",
    ),
]
