"""Reads that span several models and do not fit on one QuerySet."""

from django.db.models import Count, Q, QuerySet

from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def affiliates_working_with(user, organization: Organization) -> QuerySet[Organization]:
    """Movement organizations that take part, with `organization`, in partnerships `user` may see.

    Each carries `shared`, the number of such partnerships; most shared first.
    """
    together = Partnership.objects.visible_to(user).with_organization([organization.pk])
    condition = Q(participations__partnership__in=together.values("pk"))
    return (
        Organization.objects.movement()
        .exclude(pk=organization.pk)
        .filter(condition)
        .annotate(shared=Count("participations__partnership", filter=condition, distinct=True))
        .order_by("-shared", "name")
    )
