"""Collective-impact self-assessments (C10): an alliance or hub scores itself on the rubric
(hub/alliances/assessments/rubric.py), assessor by assessor, over time.

Who assesses: a person who edits for the alliance itself or for one of its current member
organizations (editor or manager; staff too), on behalf of that organization.

Who reads: an assessment is shared as
- a draft: its assessor only (and staff); drafts are never compared or charted for others;
- with the alliance: the members (any role) of the alliance and of its current member organizations;
- with the movement: every signed-in person.
Anonymous visitors read none: a self-assessment is the alliance's own conversation.

Who changes and deletes: the assessor, the alliance's managers, staff.

Evidence links a score to hub records (meetings, partnerships, grants, lessons); a reader sees a
link only when they may see the record (hub/alliances/assessments/evidence.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.alliances.assessments import rubric
from hub.directory.models import AllianceMembership, ChoiceLabels, Organization


def current_memberships(today: datetime.date | None = None):
    """Alliance memberships that have not ended."""
    today = today or timezone.localdate()
    return AllianceMembership.objects.filter(Q(until__isnull=True) | Q(until__gte=today))


def member_ids(alliance: Organization) -> list[int]:
    """The current member organizations of `alliance`."""
    return list(current_memberships().filter(alliance=alliance).values_list("member_id", flat=True))


def insider_alliances(user):
    """The alliances whose shared assessments `user` reads: those they are a member of directly
    or through a current member organization (any role)."""
    mine = Organization.objects.member_of(user).values("pk")
    through = current_memberships().filter(member_id__in=mine).values("alliance_id")
    return Organization.objects.alliances().filter(Q(pk__in=mine) | Q(pk__in=through))


def assessing_for(user, alliance: Organization):
    """The organizations `user` may assess `alliance` for: the alliance itself and its current
    members, those they edit for (staff: all of them)."""
    if not user.is_authenticated or not alliance.is_alliance:
        return Organization.objects.none()
    return (
        Organization.objects.editable_by(user)
        .filter(pk__in=[alliance.pk, *member_ids(alliance)])
        .distinct()
        .order_by("name")
    )


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user) -> AssessmentQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            Q(assessor=user)
            | Q(sharing=Assessment.Sharing.MOVEMENT)
            | Q(
                sharing=Assessment.Sharing.ALLIANCE,
                alliance_id__in=insider_alliances(user).values("pk"),
            )
        )

    def editable_by(self, user) -> AssessmentQuerySet:
        """The assessor, the alliance's managers, staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            Q(assessor=user) | Q(alliance_id__in=Organization.objects.managed_by(user).values("pk"))
        )

    def shared(self) -> AssessmentQuerySet:
        """Not drafts: what the comparison and the chart of an alliance count."""
        return self.exclude(sharing=Assessment.Sharing.DRAFT)


class Assessment(ChoiceLabels, models.Model):
    """One person's assessment of an alliance on one date."""

    class Sharing(models.TextChoices):
        DRAFT = "draft", _("Draft: only me")
        ALLIANCE = "alliance", _("The alliance: members of the alliance and its members")
        MOVEMENT = "movement", _("Movement: signed-in people")

    alliance = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("alliance"),
        limit_choices_to={"kind__in": Organization.ALLIANCE_KINDS},
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alliance_assessments",
        verbose_name=_("assessor"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assessments_given",
        verbose_name=_("on behalf of"),
        help_text=_("The alliance or the member organization you assess for."),
    )
    assessed_on = models.DateField(_("date"))
    sharing = models.CharField(
        _("shared with"), max_length=10, choices=Sharing.choices, default=Sharing.ALLIANCE
    )
    note = models.TextField(_("overall comment"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "assessor", "assessed_on"],
                name="assessment_once_per_assessor_and_date",
                violation_error_message=_("You have assessed this alliance on that date already."),
            )
        ]

    def __str__(self) -> str:
        who = self.assessor.get_full_name() or self.assessor.username
        return f"{self.alliance.name}, {who}, {self.assessed_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("alliances:assessment_detail", args=[self.pk])

    @property
    def assessor_name(self) -> str:
        return self.assessor.get_full_name() or self.assessor.username


class Score(models.Model):
    """The level an assessment gives one rubric item (none: "don't know"), with a comment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(_("item"), max_length=40, choices=rubric.item_choices())
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, choices=list(rubric.LEVELS.items())
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="score_once_per_item"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                name="score_level_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {rubric.level_label(self.level)}"


class Evidence(models.Model):
    """A hub record that backs a score: a meeting, partnership, grant or lesson, by its id."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        PARTNERSHIP = "partnership", _("Partnership")
        GRANT = "grant", _("Grant")
        LESSON = "lesson", _("Lesson")

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["score", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["score", "kind", "object_id"], name="evidence_once_per_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
