"""What the home page reports: the movement at a glance, and a member's own work with its next steps.

A read-only report: everything is read through the other apps' QuerySets, scoped to the viewer
(`visible_to`, `editable_by`), and each list is cut to a few rows so the page costs the
same few queries however much data there is.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.accounts.models import Invitation, Membership
from hub.directory.access import may_create
from hub.directory.models import Organization
from hub.funding.models import Grant, ReportingDeadline
from hub.imports.models import ImportJob
from hub.partnerships.models import Participant, Partnership

RECENT = 6
DEADLINE_DAYS = 30
ATTENTION = 10


@dataclass(frozen=True)
class Attention:
    """Something a member should act on: what it is, and the link to the next step."""

    text: str
    url: str
    action: str


def movement_numbers(user) -> dict[str, int]:
    """Partnerships the user may see, and the organizations, affiliates and countries taking part."""
    visible = Partnership.objects.visible_to(user)
    numbers = Participant.objects.filter(partnership__in=visible).aggregate(
        organizations=Count("organization", distinct=True),
        affiliates=Count(
            "organization",
            distinct=True,
            filter=Q(organization__kind__in=Organization.MOVEMENT_KINDS),
        ),
        countries=Count(
            "organization__country", distinct=True, filter=~Q(organization__country="")
        ),
    )
    return {"partnerships": visible.count(), **numbers}


def recent_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships recorded last among those the user may see."""
    return (
        Partnership.objects.visible_to(user)
        .select_related("lead")
        .order_by("-created_at", "-pk")[:RECENT]
    )


def member_roles(user) -> set[str]:
    """The roles the user holds in any organization (one query)."""
    return set(Membership.objects.held_by(user).values_list("role", flat=True))


def may_record(user, roles: set[str]) -> bool:
    """Whether the user may record a partnership (`may_create`, from the roles already read)."""
    return may_create(user, roles=roles)


def _my_organizations(user) -> QuerySet:
    return Membership.objects.held_by(user).values("organization_id")


def my_partnerships(user) -> QuerySet[Partnership]:
    """The user's organizations' partnerships, last changed first, with `can_edit`."""
    editable = Partnership.objects.editable_by(user).filter(pk=OuterRef("pk"))
    return (
        Partnership.objects.visible_to(user)
        .with_organization(_my_organizations(user))
        .select_related("lead")
        .annotate(can_edit=Exists(editable))
        .order_by("-updated_at", "-pk")[:RECENT]
    )


def my_deadlines(user) -> QuerySet[ReportingDeadline]:
    """Open reporting deadlines of the user's organizations' grants: overdue and due soon."""
    grants = Grant.objects.visible_to(user).filter(recipient__in=_my_organizations(user))
    return (
        ReportingDeadline.objects.due_within(DEADLINE_DAYS, today=timezone.localdate())
        .filter(grant__in=grants)
        .select_related("grant")
        .order_by("due_date", "pk")[:ATTENTION]
    )


def _past_end_dates(user) -> list[Attention]:
    today = timezone.localdate()
    late = (
        Partnership.objects.editable_by(user)
        .with_organization(_my_organizations(user))
        .running()
        .filter(end_date__lt=today)
        .order_by("end_date", "pk")[:ATTENTION]
    )
    return [
        Attention(
            _("“%(title)s” passed its end date but is still marked %(status)s.")
            % {"title": p.title, "status": p.get_status_display().lower()},
            reverse("partnerships:end", args=[p.pk]),
            _("Record how it ended"),
        )
        for p in late
    ]


def _waiting_imports(user) -> list[Attention]:
    jobs = (
        ImportJob.objects.editable_by(user)
        .filter(status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED])
        .order_by("-created_at", "-pk")[:ATTENTION]
    )
    return [
        Attention(
            _("The import of “%(name)s” is waiting for you: %(status)s.")
            % {"name": job.original_name, "status": job.get_status_display()},
            job.get_absolute_url(),
            _("Continue the import")
            if job.status == ImportJob.Status.UPLOADED
            else _("Review and confirm"),
        )
        for job in jobs
    ]


def _pending_invitations(user) -> list[Attention]:
    managed = Membership.objects.held_by(user).managing().values("organization_id")
    counts = (
        Invitation.objects.pending()
        .filter(organization__in=managed)
        .values("organization", "organization__name")
        .annotate(n=Count("pk"))
        .order_by("organization__name")[:ATTENTION]
    )
    return [
        Attention(
            ngettext(
                "%(organization)s: %(n)s invitation is not accepted yet.",
                "%(organization)s: %(n)s invitations are not accepted yet.",
                row["n"],
            )
            % {"organization": row["organization__name"], "n": row["n"]},
            reverse("members:list", args=[row["organization"]]),
            _("See the members and invitations"),
        )
        for row in counts
    ]


def needs_attention(user) -> list[Attention]:
    """What the user should act on, each with the link to the next step."""
    return _past_end_dates(user) + _waiting_imports(user) + _pending_invitations(user)
