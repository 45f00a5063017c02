"""Resources in the one search (hub/core/search): found by their title, description, file name
and address, by their readers (`Resource.objects.visible_to`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.knowledge.resources.models import Resource

KIND = SearchKind(
    name="resource",
    label=_("Resources"),
    model=Resource,
    visible=lambda user: Resource.objects.visible_to(user),
    document=lambda resource: resource.search_document(),
    url=lambda pk: reverse("knowledge:resource_detail", args=[pk]),
    organization_ids=lambda resource: [resource.organization_id],
    order=35,
)
