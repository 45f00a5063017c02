"""Where an imported record came from, on the record's own page, drawn by imports.

Use `{% load imported %}{% imported_from "partnerships" partnership %}` in a page of a lower app
(a partnership's, an organization's): the lower app never imports this one. Only a wiki page is
named here (it is public where it lives); the name of an uploaded file is in the record's history,
whose reader rules decide who sees it.
"""

from django import template

from hub.imports.models import ImportedRecord

register = template.Library()


@register.inclusion_tag("imports/_imported_from.html")
def imported_from(kind: str, record):
    found = (
        ImportedRecord.objects.filter(kind=kind, object_id=record.pk)
        .exclude(source_revision=None)
        .only("source", "source_revision", "created_at")
        .first()
    )
    return {"imported": found}
