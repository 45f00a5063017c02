"""The partnerships panel of another app's page, drawn by partnerships.

Use `{% load partnerships_of %}{% organization_partnerships organization %}` wherever a page of a
lower app (the directory's organization page) shows an organization's partnerships: the lower app
then never imports partnerships (arrows point down: domains -> directory -> core).
"""

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count

from hub.partnerships.models import Partnership
from hub.partnerships.selectors import affiliates_working_with

register = template.Library()


@register.inclusion_tag("partnerships/_organization_partnerships.html", takes_context=True)
def organization_partnerships(context, organization):
    """The partnerships the request's user may see that `organization` takes part in, counted per
    status and paginated by the request's `?page=`, and the movement organizations working with it."""
    request = context["request"]
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .with_organization([organization.pk])
        .select_related("lead")
        .order_by("-start_date", "title")
    )
    counts = list(partnerships.values("status").annotate(n=Count("pk")).order_by("status"))
    paginator = Paginator(partnerships, settings.PAGE_SIZE)
    # The counts per status add up to the paginator's count: one pass over the partnerships, not two.
    paginator.count = sum(c["n"] for c in counts)  # type: ignore[misc]
    return {
        "request": request,  # the pagination links keep the page's other parameters
        "organization": organization,
        "counts": counts,
        "page": paginator.get_page(request.GET.get("page")),
        "working_with": affiliates_working_with(request.user, organization)[:20],
    }
