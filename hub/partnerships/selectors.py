"""Reads that span several models and do not fit on one QuerySet."""

from django.db.models import Count, QuerySet

from hub.directory.models import Organization
from hub.partnerships.models import Partnership


def affiliates_working_with(user, organization: Organization) -> QuerySet[Organization]:
    """Movement organizations that take part, with `organization`, in partnerships `user` may see.

    Each carries `shared`, the number of such partnerships; most shared first.
    """
    # One aggregate over the participants of the organization's partnerships: the joins start from
    # `organization`'s participations (participant_org_partnership), reach each partnership's other
    # participants, and count them per organization. A participant is unique per partnership, so
    # counting rows counts partnerships. All conditions sit in one filter() so the joins are shared.
    visible = Partnership.objects.visible_to(user).values("pk")
    return (
        Organization.objects.movement()
        .exclude(pk=organization.pk)
        .filter(
            participations__partnership__participants__organization=organization,
            participations__partnership__in=visible,
        )
        .annotate(shared=Count("participations"))
        .order_by("-shared", "name")
    )
