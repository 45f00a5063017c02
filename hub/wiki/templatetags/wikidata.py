"""The Wikidata search on the organization form ({% wikidata_search %}), provided by the wiki app
so the directory's template does not reach into it (arrows point down)."""

from django import template

register = template.Library()


@register.inclusion_tag("wikidata/_form_search.html")
def wikidata_search(field_id: str = "id_wikidata_id") -> dict:
    return {"field_id": field_id}
