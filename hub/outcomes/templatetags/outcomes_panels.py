"""Outcome panels on the lower apps' pages, so they never import this app:
`{% load outcomes_panels %}{% partnership_outcomes partnership %}` on the partnership page (it
reads `can_edit` from the page) and `{% organization_outcomes organization %}` on the
organization (and alliance) page."""

from django import template
from django.db.models import Count

from hub.outcomes import rollups
from hub.outcomes.models import Figure
from hub.partnerships.models import Partnership

register = template.Library()


@register.inclusion_tag("outcomes/_partnership_panel.html", takes_context=True)
def partnership_outcomes(context, partnership):
    user = context["request"].user
    figures = list(
        Figure.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("definition")
        .annotate(key_count=Count("keys"))
        .order_by("definition__key", "-period_end", "pk")
    )
    own = Partnership.objects.visible_to(user).filter(pk=partnership.pk)
    return {
        "partnership": partnership,
        "figures": figures,
        "totals": rollups.totals(own) if figures else [],
        "can_edit": bool(context.get("can_edit")),
        "request": context["request"],
    }


@register.inclusion_tag("outcomes/_totals_panel.html", takes_context=True)
def organization_outcomes(context, organization):
    user = context["request"].user
    return {
        "organization": organization,
        "totals": rollups.totals_for_organization(user, organization),
        "request": context["request"],
    }


@register.inclusion_tag("outcomes/_movement_totals.html", takes_context=True)
def movement_outcomes(context):
    """The movement's totals, for the dashboard."""
    user = context["request"].user
    return {"totals": rollups.totals(rollups.movement_partnerships(user))}
