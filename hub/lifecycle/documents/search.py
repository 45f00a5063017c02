"""Document templates in the one search (hub/core/search): found by their name, document kind,
language and organization by whoever may use them (`templates_visible_to`: shipped ones by
everyone, an organization's by its members). The files' contents are not indexed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.lifecycle.documents.access import templates_visible_to
from hub.lifecycle.documents.models import DocumentKind, DocumentTemplate


def document(template: DocumentTemplate) -> dict[str, str]:
    kind = str(DocumentKind(template.kind).label) if template.kind in DocumentKind else ""
    owner = template.organization.name if template.organization else ""
    return {
        "title": template.name,
        "body": "\n".join(part for part in (kind, owner) if part),
        "language": template.language,
    }


KIND = SearchKind(
    name="template",
    label=_("Document templates"),
    model=DocumentTemplate,
    visible=templates_visible_to,
    document=document,
    url=lambda pk: reverse("lifecycle:template_detail", args=[pk]),
    organization_ids=lambda template: (
        [template.organization_id] if template.organization_id else []
    ),
    prepare=lambda qs: qs.select_related("organization"),
    order=60,
)
