"""Who sees and uses which templates and generated documents (the rules are in models.py's
docstring), for the pages and the API alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hub.directory.models import Organization
from hub.lifecycle.documents.models import DocumentTemplate, GeneratedDocument
from hub.partnerships.models import Participant, Partnership


def templates_visible_to(user) -> QuerySet[DocumentTemplate]:
    """Shipped templates, and those of the organizations `user` belongs to (staff: all); not retired."""
    templates = DocumentTemplate.objects.filter(retired_at__isnull=True)
    if user.is_authenticated and user.is_staff:
        return templates
    return templates.filter(
        Q(organization__isnull=True) | Q(organization__in=Organization.objects.member_of(user))
    )


def get_template_for(user, pk: int) -> DocumentTemplate:
    template = templates_visible_to(user).select_related("organization").filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


def documents_visible_to(user) -> QuerySet[GeneratedDocument]:
    """Generated documents whose partnership `user` sees and whose agreement details they may see
    (members of a participant, staff, or anyone for an agreement with public details)."""
    documents = GeneratedDocument.objects.filter(
        partnership__in=Partnership.objects.visible_to(user)
    )
    if user.is_authenticated and user.is_staff:
        return documents
    member = Exists(
        Participant.objects.filter(
            partnership=OuterRef("partnership"),
            organization__in=Organization.objects.member_of(user),
        )
    )
    return documents.filter(member | Q(agreement__details_public=True))


def get_document_for(user, pk: int) -> GeneratedDocument:
    document = (
        documents_visible_to(user)
        .select_related("partnership", "template_version__template", "agreement")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    return document


def may_generate(user, partnership: Partnership) -> bool:
    return Partnership.objects.editable_by(user).filter(pk=partnership.pk).exists()


def check_may_generate(user, partnership: Partnership) -> None:
    if not may_generate(user, partnership):
        raise PermissionDenied(_("You may not generate documents for this partnership."))
