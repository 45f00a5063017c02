"""The partnership registry (C2): partnerships, their participants and the 2016 dimensions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import EDIT_ROLES
from hub.core.models import Visibility
from hub.core.weburl import WebURLField
from hub.directory.models import ChoiceLabels, Organization


class Goal(models.TextChoices):
    """The three goals of the 2016 mapping exercise. Stored as one boolean column each."""

    FUNDING = "funding", _("Funding / resources")
    CONTENT = "content", _("Content for Wikimedia projects")
    ADVOCACY = "advocacy", _("Advocacy / outreach")


GOAL_FIELDS = {
    Goal.FUNDING: "goal_funding",
    Goal.CONTENT: "goal_content",
    Goal.ADVOCACY: "goal_advocacy",
}


class ThemeQuerySet(models.QuerySet["Theme"]):
    def visible_to(self, user) -> "ThemeQuerySet":
        """Themes of partnerships `user` may see: a theme only private partnerships use is as
        private as they are (filters list these)."""
        if user.is_authenticated and user.is_staff:
            return self
        used = Partnership.themes.through.objects.filter(theme_id=OuterRef("pk")).filter(
            visible_partnership(user, "partnership")
        )
        return self.filter(Exists(used))


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WikimediaProject(models.Model):
    """A Wikimedia project a partnership works on (Wikipedia, Commons, Wikidata, ...)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def visible_partnership(user, through: str = "") -> Q:
    """The condition `visible_to` filters by, also read from a record that links a partnership
    (`through` is the link, such as "partnership"): public to everyone, movement-visible to
    signed-in users, private to the participants' members, everything to staff. A record with no
    partnership never matches."""
    prefix = f"{through}__" if through else ""
    if not user.is_authenticated:
        return Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if user.is_staff:
        return Q(**{f"{prefix}pk__isnull": False})
    mine = Participant.objects.filter(
        partnership=OuterRef(through or "pk"),
        organization__user_memberships__user=user,
    )
    return Q(**{f"{prefix}visibility__in": [Visibility.PUBLIC, Visibility.MOVEMENT]}) | Q(
        Exists(mine)
    )


class LinksPartnership:
    """A QuerySet mixin for records that link a partnership (contributions, grants): every page,
    list, export, API answer and filter reads the link through `with_shown_partnership` or
    `linked_to`, so a public record never names (nor numbers) a partnership its reader may not
    see."""

    def with_shown_partnership(self, user):
        """Annotates `shown_partnership_id` and `shown_partnership_title`: the linked
        partnership's id and title when `user` may see it, None otherwise."""
        seen = visible_partnership(user, "partnership")
        return self.annotate(  # type: ignore[attr-defined]
            shown_partnership_id=Case(
                When(seen, then=F("partnership_id")), output_field=models.BigIntegerField()
            ),
            shown_partnership_title=Case(
                When(seen, then=F("partnership__title")), output_field=models.CharField()
            ),
        )

    def linked_to(self, user, partnership_id: int):
        """The records linking the partnership `partnership_id`, if `user` may see it: one they may
        not see (or none) finds nothing, so the answer never tells that it exists."""
        return self.filter(  # type: ignore[attr-defined]
            Q(partnership_id=partnership_id) & visible_partnership(user, "partnership")
        )


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user) -> "PartnershipQuerySet":
        """Public to everyone, movement-visible to signed-in users, private to participants' members."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.filter(visible_partnership(user))

    def editable_by(self, user) -> "PartnershipQuerySet":
        """Editors and managers of a participating movement organization edit; staff edit all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        mine = Participant.objects.filter(
            partnership=OuterRef("pk"),
            organization__kind__in=Organization.MOVEMENT_KINDS,
            organization__user_memberships__user=user,
            organization__user_memberships__role__in=EDIT_ROLES,
        )
        return self.filter(Exists(mine))

    def with_organization(self, organization_ids) -> "PartnershipQuerySet":
        return self.filter(
            Exists(
                Participant.objects.filter(
                    partnership=OuterRef("pk"), organization_id__in=organization_ids
                )
            )
        )

    def active_in_years(self, first: int, last: int) -> "PartnershipQuerySet":
        """Partnerships whose dates overlap the years first..last (undated ones never match)."""
        import datetime

        return self.filter(start_date__lte=datetime.date(last, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(first, 1, 1))
        )

    def running(self) -> "PartnershipQuerySet":
        return self.filter(status__in=Partnership.RUNNING_STATUSES)


class Partnership(ChoiceLabels, models.Model):
    class Structure(models.TextChoices):
        SIMPLE = "simple", _("Simple")
        COMPLEX = "complex", _("Complex")

    class Direction(models.TextChoices):
        INTERNAL = "internal", _("Internal (within the movement)")
        EXTERNAL = "external", _("External")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")
        DECLINED = "declined", _("Declined")

    class Scope(models.TextChoices):
        LOCAL = "local", _("Local")
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        GLOBAL = "global", _("Global")

    RUNNING_STATUSES = (Status.IDEA, Status.PROSPECT, Status.ACTIVE, Status.PAUSED)
    END_STATUSES = (Status.COMPLETED, Status.ENDED_EARLY, Status.DECLINED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead organization"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    goal_funding = models.BooleanField(_("funding / resources"), default=False)
    goal_content = models.BooleanField(_("content for Wikimedia projects"), default=False)
    goal_advocacy = models.BooleanField(_("advocacy / outreach"), default=False)
    structure = models.CharField(
        _("structure"), max_length=10, choices=Structure.choices, default=Structure.SIMPLE
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.EXTERNAL,
        db_index=True,
        help_text=_("Derived from the participants unless overridden."),
    )
    direction_override = models.CharField(
        _("direction override"), max_length=10, choices=Direction.choices, blank=True
    )
    direction_override_reason = models.CharField(
        _("reason for the override"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    projects = models.ManyToManyField(
        WikimediaProject,
        blank=True,
        related_name="partnerships",
        verbose_name=_("Wikimedia projects"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="partnerships", verbose_name=_("themes")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal_funding=True) | Q(goal_content=True) | Q(goal_advocacy=True),
                name="partnership_has_a_goal",
                violation_error_message=_("Choose at least one goal."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "status"], name="partnership_vis_status"),
            models.Index(fields=["start_date"], name="partnership_start"),
            models.Index(fields=["updated_at"], name="partnership_updated"),
            models.Index(fields=["title", "id"], name="partnership_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    def clean(self) -> None:
        """The single-row rules, each reported on its field: the one place they are written (the
        form, the services and the API all reach them through full_clean()). The end-date rule is
        also the database's check constraint; reported here first, the constraint's own message
        is not repeated (full_clean skips constraints on fields that already have an error)."""
        errors: dict[str, object] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.direction_override and not self.direction_override_reason.strip():
            errors["direction_override_reason"] = _("Say why the derived direction does not fit.")
        if errors:
            raise ValidationError(errors)

    @property
    def chooser_label(self) -> str:
        """'Title (LEAD, 2024)': the lead's short code or name and the start year tell titles
        apart (the partnership chooser's label, and a readable value for links)."""
        parts = [self.lead.short_code or self.lead.name]
        if self.start_date:
            parts.append(str(self.start_date.year))
        return f"{self.title} ({', '.join(parts)})"

    @property
    def goals(self) -> list[str]:
        return [goal for goal, field in GOAL_FIELDS.items() if getattr(self, field)]

    def get_goals_display(self) -> list[str]:
        return [str(Goal(goal).label) for goal in self.goals]

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATUSES

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'


class Participant(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        BACKBONE = "backbone", _("Backbone")
        HOST = "host", _("Host")
        CONTENT_PROVIDER = "content_provider", _("Content provider")
        SUPPORTER = "supporter", _("Supporter")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participants"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["partnership", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="participant_once_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(role="lead"), name="partnership_one_lead"
            ),
        ]
        indexes = [
            # "Partnerships of this organization" and "who works with it" read this index alone.
            models.Index(
                fields=["organization", "partnership"], name="participant_org_partnership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class PartnershipLink(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=120)
    url = WebURLField(_("address"), max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label
