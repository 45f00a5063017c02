"""The wiki app's models live in its sub-packages (publishing, wikidata); imported here so Django
finds them."""

from hub.wiki.publishing.models import Publication, WikiConnection  # noqa: F401
from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun  # noqa: F401
