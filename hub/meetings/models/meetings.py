"""Meetings, their participants and their decisions."""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.core.models import Visibility
from hub.core.weburl import WebURLField
from hub.directory.models import ChoiceLabels, Organization, Person
from hub.partnerships.models import Partnership


def writes_for(user):
    """The movement organizations `user` may organize meetings for: those they are a member of,
    in any role (staff: every one)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.movement()
    return Organization.objects.member_of(user).movement()


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(_zone_names())]


def validate_time_zone(value: str) -> None:
    """An IANA time zone name the system's zoneinfo knows, such as Europe/Berlin."""
    if value not in _zone_names():
        raise ValidationError(
            gettext("Choose a time zone from the list, such as Europe/Berlin."), code="time_zone"
        )


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user) -> MeetingQuerySet:
        """Public to everyone, movement to signed-in people, private to the members of an
        organizing organization and its author; everything to staff."""
        if not user.is_authenticated:
            return self.filter(visibility=Visibility.PUBLIC)
        if user.is_staff:
            return self
        mine = Organization.objects.member_of(user).values("pk")
        organizes = Meeting.organizations.through.objects.filter(
            meeting_id=OuterRef("pk"), organization_id__in=mine
        )
        return self.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.MOVEMENT])
            | Q(author=user)
            | Exists(organizes)
        )

    def editable_by(self, user) -> MeetingQuerySet:
        """Its author, the editors and managers of an organizing organization, staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        edits = Organization.objects.editable_by(user).values("pk")
        organizes = Meeting.organizations.through.objects.filter(
            meeting_id=OuterRef("pk"), organization_id__in=edits
        )
        return self.filter(Q(author=user) | Exists(organizes))

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(ends_at__gte=timezone.now())

    def past(self) -> MeetingQuerySet:
        return self.filter(ends_at__lt=timezone.now())


class Meeting(ChoiceLabels, models.Model):
    """A meeting, such as the 2016 partnerships workshop: when and where, who organized it and
    took part, what was decided and who does what next."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The meeting's times are shown in this zone."),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = WebURLField(_("online link"), max_length=2048, blank=True)
    organizations = models.ManyToManyField(
        Organization,
        related_name="meetings",
        verbose_name=_("organized by"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_written",
        verbose_name=_("recorded by"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MOVEMENT
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="meetings", verbose_name=_("partnerships")
    )
    alliances = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="alliance_meetings",
        verbose_name=_("alliances"),
        limit_choices_to={"kind__in": Organization.ALLIANCE_KINDS},
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting ends after it starts."),
            )
        ]
        indexes = [models.Index(fields=["visibility", "starts_at"], name="meeting_vis_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": gettext("A meeting ends after it starts.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    def search_document(self) -> dict:
        """What the search indexes of a meeting: title, place, agenda, notes and decisions
        (never its participants)."""
        decisions = [d.statement for d in self.decisions.all()]
        body = [self.place, self.agenda, self.notes, *decisions]
        return {"title": self.title, "body": "\n\n".join(p for p in body if p), "language": ""}


class Participant(models.Model):
    """Someone who took part: a member (a user), a contact person, or a name. A `private`
    participant is named only to those who may edit the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("member"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("contact person"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participants",
        verbose_name=_("organization"),
    )
    private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_("Named only to those who may edit the meeting; others see a count."),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, person__isnull=True, name="")
                    | Q(user__isnull=True, person__isnull=False, name="")
                    | (Q(user__isnull=True, person__isnull=True) & ~Q(name=""))
                ),
                name="participant_is_one_of_member_contact_or_name",
            ),
            models.UniqueConstraint(
                # NULLs are distinct on every database: names and contacts are not limited.
                fields=["meeting", "user"],
                name="participant_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="participant_contact_once",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.username
        if self.person is not None:
            return str(self.person)
        return self.name

    def clean(self) -> None:
        given = [self.user_id is not None, self.person_id is not None, bool(self.name.strip())]
        if sum(given) != 1:
            raise ValidationError(
                {"name": gettext("Give a member, a contact person or a name: exactly one.")}
            )


def participants_named_to(user, participants: list[Participant], *, can_edit: bool) -> list:
    """The participants `user` may read the names of: a private one only if they may edit the
    meeting, a contact person only if they may see that contact (contacts are never public).
    Pages and the API count the others without naming them."""
    person_ids = {p.person_id for p in participants if p.person_id is not None}
    seen = (
        set(Person.objects.visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids
        else set()
    )
    return [
        p
        for p in participants
        if (can_edit or not p.private) and (p.person_id is None or p.person_id in seen)
    ]


class Decision(models.Model):
    """A decision taken in a meeting, optionally with a date to review it (Loomio's outcome)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    statement = models.TextField(_("decision"))
    review_on = models.DateField(
        _("review on"), null=True, blank=True, help_text=_("When to look at it again.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        text = " ".join(self.statement.split())
        return text if len(text) <= 80 else text[:79] + "…"
