"""Organizations in the one search (hub/core/search): found by their name, local name and
description; the directory is public, so everyone sees every organization."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.directory.models import Organization


def document(organization: Organization) -> dict[str, str]:
    body = "\n".join(filter(None, [organization.local_name, organization.description]))
    return {"title": organization.name, "body": body, "language": ""}


def names(ids) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


KIND = SearchKind(
    name="organization",
    label=_("Organizations"),
    model=Organization,
    visible=lambda user: Organization.objects.all(),
    document=document,
    url=lambda pk: reverse("directory:organization", args=[pk]),
    organization_ids=lambda organization: [organization.pk],
    order=20,
)
