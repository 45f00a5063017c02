"""The steps pages' URLs; hub/lifecycle/urls.py gathers them under the `lifecycle` namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
