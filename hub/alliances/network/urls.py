"""The network pages' URLs; hub/alliances/urls.py gathers them under the `alliances` namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
