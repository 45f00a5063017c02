"""Fetching the review queue's records with permission: 404 for what the user may not see."""

from django.http import Http404

from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun


def get_run_for(user, pk: int) -> ReconciliationRun:
    """A reconciliation run its starter (or staff) follows."""
    run = ReconciliationRun.objects.visible_to(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def get_suggestion_for(user, pk: int) -> ReconciliationItem:
    """Suggestions for an organization whose facts `user` may change; 404 for anyone else."""
    suggestion = (
        ReconciliationItem.objects.visible_to(user)
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404
    return suggestion
