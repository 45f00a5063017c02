"""The Wikidata search on the organization form ({% wikidata_search %}), provided by the wiki app
so the directory's template does not reach into it (arrows point down)."""

from django import template

register = template.Library()


@register.inclusion_tag("wikidata/_form_search.html")
def wikidata_search(field_id: str = "id_wikidata_id") -> dict:
    return {"field_id": field_id}


@register.inclusion_tag("wikidata/_directory_links.html", takes_context=True)
def wikidata_directory_links(context) -> dict:
    """The directory list's links to the reconciliation (managers, staff) and its review queue."""
    from hub.wiki.wikidata.services import may_reconcile

    user = context["request"].user
    return {"may_reconcile": user.is_authenticated and may_reconcile(user)}


@register.inclusion_tag("wikidata/_organization_link.html")
def wikidata_organization_link(organization, can_edit: bool) -> dict:
    """On an organization's page, for those who change it: compare it with its Wikidata item."""
    return {"organization": organization, "can_edit": can_edit}
