from django.urls import path

from hub.funding.rates import views

# Included by hub/funding/urls.py under the "funding" namespace.
urlpatterns = [
    path("rates/", views.rate_index, name="rate_index"),
    path("rates/<int:organization>/", views.rate_list, name="rate_list"),
    path("rates/edit/<int:pk>/", views.rate_edit, name="rate_edit"),
    path("rates/delete/<int:pk>/", views.rate_delete, name="rate_delete"),
]
