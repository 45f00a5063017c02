from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun  # noqa: F401
