"""The wiki app's models. Publishing lives in its sub-package; imported here so Django finds it."""

from hub.wiki.publishing.models import Publication, WikiConnection  # noqa: F401
