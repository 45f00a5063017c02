"""Agreements in the one search (hub/core/search): found by their title and type and their
partnership's title, by whoever sees that the agreement exists (its partnership's readers). Its
details (parties, signatories, checklist notes, files) are not indexed: they have other readers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.core.search import SearchKind
from hub.lifecycle.agreements.models import Agreement
from hub.partnerships.models import Partnership


def document(agreement: Agreement) -> dict[str, str]:
    kind = str(Agreement.Kind(agreement.kind).label) if agreement.kind in Agreement.Kind else ""
    title = agreement.title or kind
    return {"title": title, "body": "\n".join([kind, agreement.partnership.title]), "language": ""}


def _url(pk: int) -> str:
    return _urls([pk])[pk]


def _urls(ids: list[int]) -> dict[int, str]:
    """The agreements' pages in one query (an agreement's address holds its partnership's id)."""
    pairs = Agreement.objects.filter(pk__in=ids).values_list("pk", "partnership_id")
    return {
        pk: reverse("lifecycle:agreement_detail", args=[partnership_id, pk])
        for pk, partnership_id in pairs
    }


KIND = SearchKind(
    name="agreement",
    label=_("Agreements"),
    model=Agreement,
    visible=lambda user: Agreement.objects.visible_to(user),
    document=document,
    url=_url,
    urls=_urls,
    organization_ids=lambda agreement: [agreement.partnership.lead_id],
    prepare=lambda qs: qs.select_related("partnership"),
    order=50,
    # Its entry holds the partnership's title: a renamed partnership renames it in the search.
    follows={
        Partnership: lambda ids: Agreement.objects.filter(partnership_id__in=ids).values_list(
            "pk", flat=True
        )
    },
)
