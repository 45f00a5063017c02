"""A partnership's agreements and warnings on pages of lower apps, drawn by lifecycle.

- `{% load lifecycle_agreements %}{% partnership_agreements partnership %}` on the partnership's
  page: its agreements (type, status, dates: whoever sees the partnership) and its warnings (to
  those who may see the agreements' details);
- `{% agreement_attention as items %}` on the member's home: their organizations' partnerships that need
  attention;
- `p|warning_labels` in the registry's column (a row annotated by agreements.warnings.annotate).
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.lifecycle.agreements import warnings
from hub.lifecycle.agreements.access import may_edit
from hub.lifecycle.agreements.models import Agreement
from hub.partnerships.models import Partnership

register = template.Library()
HOME_LIMIT = 10


@register.filter
def warning_labels(partnership) -> list[str]:
    return warnings.kinds_of(partnership)


@register.inclusion_tag("lifecycle/agreement_panel.html", takes_context=True)
def partnership_agreements(context, partnership):
    user = context["request"].user
    return {
        "partnership": partnership,
        "agreements": list(Agreement.objects.visible_to(user).filter(partnership=partnership)),
        "warnings": warnings.warnings_for(user, partnership),
        "can_edit": may_edit(user, partnership.pk),
    }


@register.simple_tag(takes_context=True)
def agreement_attention(context) -> list[dict[str, str]]:
    """Items like the home's own "needs your attention" ones (text, url, action)."""
    user = context["request"].user
    if not user.is_authenticated:
        return []
    mine = (
        Partnership.objects.visible_to(user)
        .filter(participants__organization__user_memberships__user=user)
        .filter(warnings.needs_attention_q(user))
        .distinct()
    )
    rows = warnings.annotate(Partnership.objects.filter(pk__in=mine.values("pk")), user).order_by(
        "title", "pk"
    )[:HOME_LIMIT]
    return [
        {
            "text": _("%(partnership)s: %(warnings)s")
            % {"partnership": p.title, "warnings": "; ".join(warnings.kinds_of(p))},
            "url": reverse("lifecycle:agreement_list", args=[p.pk]),
            "action": _("See its agreements"),
        }
        for p in rows
    ]
