"""The steps of a partnership and an organization's lifecycles, on the lower apps' pages.

`{% load lifecycle_steps %}{% steps_panel partnership %}` on the partnership page (it reads
`can_edit` from the page), `{% my_next_actions %}` on the home page and
`{% lifecycle_link organization %}` on the organization page: the
lower apps never import this one.
"""

from django import template
from django.db.models import F
from django.utils import timezone

from hub.lifecycle.steps.models import PartnershipProgress
from hub.lifecycle.steps.panel import progress_context
from hub.partnerships.models import Partnership

register = template.Library()


@register.inclusion_tag("lifecycle/steps_panel.html", takes_context=True)
def steps_panel(context, partnership):
    user = context["request"].user
    return {
        **progress_context(user, partnership, can_edit=bool(context.get("can_edit"))),
        "csrf_token": context.get("csrf_token"),
        # On the partnership's page, a partnership not on its steps shows nothing to readers.
        "on_record_page": True,
        "request": context["request"],
    }


@register.inclusion_tag("lifecycle/steps_next_actions.html", takes_context=True)
def my_next_actions(context, limit: int = 10):
    """The signed-in member's own next actions, soonest due first (undated last)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"progresses": []}
    progresses = (
        PartnershipProgress.objects.filter(
            next_action_owner=user,
            partnership__in=Partnership.objects.visible_to(user).running().values("pk"),
        )
        .exclude(next_action="")
        .select_related("partnership")
        .order_by(F("next_action_due").asc(nulls_last=True), "partnership__title")[:limit]
    )
    return {"progresses": list(progresses), "today": timezone.localdate()}


@register.inclusion_tag("lifecycle/steps_link.html")
def lifecycle_link(organization):
    return {"organization": organization}
