"""The network pages' URLs; hub/alliances/urls.py gathers them under the `alliances` namespace."""

from django.urls import path

from hub.alliances.network import views

urlpatterns = [
    path("network/", views.network_map, name="network"),
    path("network/compute", views.network_compute, name="network_compute"),
    path("network/network.gexf", views.network_gexf, name="network_gexf"),
    path("network/kumu.zip", views.network_kumu, name="network_kumu"),
]
