"""The wiki app's pages under /wiki/ (namespace `wiki`)."""

from hub.wiki.publishing.urls import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
