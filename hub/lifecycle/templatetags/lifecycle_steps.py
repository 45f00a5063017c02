"""The steps of a partnership and an organization's lifecycles, on the lower apps' pages.

`{% load lifecycle_steps %}{% steps_panel partnership %}` on the partnership page (it reads
`can_edit` from the page) and `{% lifecycle_link organization %}` on the organization page: the
lower apps never import this one.
"""

from django import template

from hub.lifecycle.steps.panel import progress_context

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


@register.inclusion_tag("lifecycle/steps_link.html")
def lifecycle_link(organization):
    return {"organization": organization}
