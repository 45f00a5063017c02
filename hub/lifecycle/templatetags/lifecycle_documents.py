"""The documents panel on a partnership's page (or an agreement's), drawn by lifecycle for the
lower apps: `{% load lifecycle_documents %}{% documents_panel partnership %}` (with an agreement
as a second argument, the form starts on it)."""

from django import template

from hub.lifecycle.documents.access import documents_visible_to, may_generate
from hub.lifecycle.documents.views import generate_form

register = template.Library()


@register.inclusion_tag("lifecycle/_documents_panel.html", takes_context=True)
def documents_panel(context, partnership, agreement=None):
    user = context["request"].user
    form = None
    if may_generate(user, partnership):
        form = generate_form(user, partnership)
        if agreement is not None:
            form.initial["agreement"] = agreement.pk
    count = documents_visible_to(user).filter(partnership=partnership).count()
    return {
        "partnership": partnership,
        "form": form,
        "count": count,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
