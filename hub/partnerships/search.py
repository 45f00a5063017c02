"""Partnerships in the one search (hub/core/search): found by their title, description, themes and
the names of the organizations taking part; seen by whoever may see the partnership."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def document(partnership: Partnership) -> dict[str, str]:
    themes = [theme.name for theme in partnership.themes.all()]
    names = []
    for participant in partnership.participants.all():
        organization = participant.organization
        names += [organization.name, organization.local_name]
    body = "\n".join(filter(None, [partnership.description, " · ".join(themes), *names]))
    # A partnership records no language of its own: searched word by word.
    return {"title": partnership.title, "body": body, "language": ""}


def _prepare(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related("themes", "participants__organization")


def partnerships_of(organization_ids: list[int]) -> list[int]:
    """The partnerships the organizations take part in: their entries name them."""
    return list(
        Partnership.objects.filter(participants__organization_id__in=organization_ids)
        .values_list("pk", flat=True)
        .distinct()
    )


KIND = SearchKind(
    name="partnership",
    label=_("Partnerships"),
    model=Partnership,
    visible=lambda user: Partnership.objects.visible_to(user),
    document=document,
    url=lambda pk: reverse("partnerships:detail", args=[pk]),
    organization_ids=lambda p: [
        participant.organization_id for participant in p.participants.all()
    ],
    prepare=_prepare,
    order=10,
    follows={Organization: lambda ids: partnerships_of(ids)},
)
