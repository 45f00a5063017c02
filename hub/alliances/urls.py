"""The alliances app's pages, one list per sub-package, in one namespace (`alliances:`)."""

from hub.alliances.assessments import urls as assessments
from hub.alliances.network import urls as network

app_name = "alliances"
urlpatterns = [*assessments.urlpatterns, *network.urlpatterns]
