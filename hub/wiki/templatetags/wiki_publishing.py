"""The wiki panel on a record's page, drawn by the wiki app for the lower apps:
`{% load wiki_publishing %}{% wiki_panel partnership %}` (a lesson or an organization too): the
link to publish for those who may, and the record's publications for everyone who sees it."""

from django import template

from hub.wiki.publishing import services
from hub.wiki.publishing.models import Publication

register = template.Library()


@register.inclusion_tag("wiki/_panel.html", takes_context=True)
def wiki_panel(context, record):
    user = context["request"].user
    kind = Publication.kind_of(record)
    publications = list(Publication.objects.of(record).select_related("published_by")[:5])
    return {
        "record": record,
        "kind": kind,
        "may_publish": user.is_authenticated and services.may_publish(user, record),
        "publications": publications,
    }
