from django.urls import path

from hub.funding.exchange_rates import views

# Included by hub/funding/urls.py under the "funding" namespace.
urlpatterns = [
    path("currency/", views.currency_choice, name="currency"),
    path("exchange-rates/upload/", views.exchange_rates_upload, name="exchange_rates_upload"),
]
