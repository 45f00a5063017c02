"""The directory (C1): movement and external organizations, their contact persons, and alliances."""

import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from hub.accounts.models import EDIT_ROLES, Membership, Role
from hub.core.weburl import WebURLField

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata item looks like Q12345."))
# The identifiers Wikidata holds for organizations (hub/wiki/wikidata reads them): a ROR id is "0",
# six letters or digits and a two-digit checksum; an ISIL is a prefix, "-" and up to 11 characters
# (ISO 15511, 16 at most); a VIAF id is digits.
ror_validator = RegexValidator(
    r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$",
    _("A ROR id has nine characters: 0, six letters or digits, two digits."),
)
isil_validator = RegexValidator(
    r"^[A-Za-z0-9]{1,4}-[A-Za-z0-9:/-]{1,11}$", _("An ISIL looks like DE-1 or US-DLC.")
)
viaf_validator = RegexValidator(r"^[1-9][0-9]{0,21}$", _("A VIAF id is a number."))
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate_partial_date(value: str) -> None:
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(
            _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD."), code="partial_date"
        )


@functools.cache
def _choice_labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """`get_<field>_display()` from a dictionary built once per field.

    Django rebuilds the dictionary on every call and hashes each lazy label on the way, which
    translates every choice: for the status, kind and role columns of a list page that is thousands
    of translations per request. The label stays lazy here, so the active language still applies.
    """

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def movement(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=Organization.MOVEMENT_KINDS)

    def external(self) -> "OrganizationQuerySet":
        return self.exclude(kind__in=Organization.MOVEMENT_KINDS)

    def alliances(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=Organization.ALLIANCE_KINDS)

    def active(self) -> "OrganizationQuerySet":
        return self.filter(status=Organization.Status.ACTIVE)

    def search(self, text: str) -> "OrganizationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(local_name__icontains=text)
            | Q(short_code__iexact=text)
            | Q(wikidata_id__iexact=text)
            | Q(city__icontains=text)
        )

    def matching(self, text: str) -> "OrganizationQuerySet":
        """What a chooser suggests for `text`: a part of the name or local name, or the whole short
        code or Wikidata item."""
        text = text.strip()
        return self.filter(
            Q(name__icontains=text)
            | Q(local_name__icontains=text)
            | Q(short_code__iexact=text)
            | Q(wikidata_id__iexact=text)
        )

    # Who may act for which organization: the one vocabulary every page, service, import and API
    # endpoint asks (roles are hub.accounts.models.Role; staff act for every organization).

    def member_of(self, user, *, editing: bool = False) -> "OrganizationQuerySet":
        """The organizations `user` belongs to, in any role, or with `editing` as editor or manager
        (staff included: only their own). For what rests on a person's own memberships: "my organizations" on
        dashboards and defaults, and whom a new contact is kept by (a contact is kept by an
        organization its recorder edits for as a member). Acting for an organization is
        `editable_by`, managing it `managed_by`: those let staff act for all."""
        if not user.is_authenticated:
            return self.none()
        if editing:
            return self.filter(user_memberships__user=user, user_memberships__role__in=EDIT_ROLES)
        return self.filter(user_memberships__user=user)

    def editable_by(self, user) -> "OrganizationQuerySet":
        """The organizations `user` acts for as editor or manager; staff act for all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(user_memberships__user=user, user_memberships__role__in=EDIT_ROLES)

    def managed_by(self, user) -> "OrganizationQuerySet":
        """The organizations whose facts and members `user` manages; staff manage all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(user_memberships__user=user, user_memberships__role=Role.MANAGER)

    def facts_editable_by(self, user) -> "OrganizationQuerySet":
        """The organizations whose own record (name, kind, codes...) `user` may change: a movement
        organization by its managers, an external one by anyone who edits for some organization;
        staff change all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        # One query: "edits for some organization" is the same question `may_create` asks.
        managed = Q(pk__in=self.model.objects.managed_by(user).values("pk"))
        external = ~Q(kind__in=Organization.MOVEMENT_KINDS)
        return self.filter(managed | (external & Exists(self.model.objects.editable_by(user))))

    def members_visible_to(self, user) -> "OrganizationQuerySet":
        """The organizations whose members page `user` may read: their own members'; staff all."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.member_of(user)

    def members_of(self, alliance: "Organization") -> "OrganizationQuerySet":
        return self.filter(
            Exists(AllianceMembership.objects.filter(alliance=alliance, member=OuterRef("pk")))
        )


class Organization(ChoiceLabels, models.Model):
    """A movement organization (affiliate, hub, network, the Foundation) or an external one."""

    class Kind(models.TextChoices):
        # movement organizations
        CHAPTER = "chapter", _("Chapter")
        THEMATIC = "thematic_organization", _("Thematic organization")
        USER_GROUP = "user_group", _("User group")
        HUB = "hub", _("Hub")
        NETWORK = "network", _("Network / alliance")
        WMF = "wmf", _("Wikimedia Foundation")
        # external organizations
        MUSEUM = "museum", _("Museum")
        LIBRARY = "library", _("Library")
        ARCHIVE = "archive", _("Archive")
        GALLERY = "gallery", _("Gallery")
        UNIVERSITY = "university_research", _("University or research")
        SCHOOL = "school", _("School")
        GOVERNMENT = "government", _("Government body")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        NGO = "ngo", _("NGO")
        OPEN_KNOWLEDGE = "open_knowledge", _("Open-knowledge organization")
        COMPANY = "company", _("Company")
        FUNDER = "funder", _("Funder")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    MOVEMENT_KINDS = (
        Kind.CHAPTER,
        Kind.THEMATIC,
        Kind.USER_GROUP,
        Kind.HUB,
        Kind.NETWORK,
        Kind.WMF,
    )
    ALLIANCE_KINDS = (Kind.HUB, Kind.NETWORK)

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FORMER = "former", _("Former")

    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(_("local name"), max_length=200, blank=True)
    short_code = models.CharField(
        _("short code"),
        max_length=20,
        blank=True,
        null=True,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9-]*$", _("Capital letters, digits and '-'."))],
        help_text=_("The affiliate code, such as WMAT."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    recognized_on = models.CharField(
        _("recognition date"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, as precise as is known."),
    )
    website = WebURLField(_("website"), max_length=200, blank=True)
    wikidata_id = models.CharField(
        _("Wikidata item"), max_length=20, blank=True, validators=[wikidata_validator]
    )
    ror_id = models.CharField(_("ROR id"), max_length=9, blank=True, validators=[ror_validator])
    isil = models.CharField(_("ISIL"), max_length=16, blank=True, validators=[isil_validator])
    viaf_id = models.CharField(_("VIAF id"), max_length=22, blank=True, validators=[viaf_validator])
    # The item's labels in the interface languages, as Wikidata gave them: {"de": "...", ...}.
    wikidata_labels = models.JSONField(_("names from Wikidata"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    verified = models.BooleanField(
        _("facts verified"),
        default=True,
        help_text=_("Off when some facts come from general knowledge and await a source."),
    )
    source_note = models.TextField(_("source note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="org_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})" if self.short_code else self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directory:organization", args=[self.pk])

    def clean(self) -> None:
        # No short code is NULL, never "": the column is unique, and NULLs do not collide.
        if not self.short_code:
            self.short_code = None

    @property
    def chooser_label(self) -> str:
        """What a person reads and may type back: 'Name (CODE)', else 'Name (Country)', else
        'Name' (the organization chooser's label, and a readable value for links)."""
        if self.short_code:
            return f"{self.name} ({self.short_code})"
        if self.country:
            return f"{self.name} ({self.get_country_display()})"
        return self.name

    @property
    def is_movement(self) -> bool:
        return self.kind in self.MOVEMENT_KINDS

    @property
    def is_alliance(self) -> bool:
        return self.kind in self.ALLIANCE_KINDS


class AllianceMembership(ChoiceLabels, models.Model):
    """An organization's membership of an alliance or hub, with a role and dates."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        STEERING = "steering", _("Steering committee")
        FISCAL_SPONSOR = "fiscal_sponsor", _("Fiscal sponsor")
        HOST = "host", _("Host")
        OBSERVER = "observer", _("Observer")

    alliance = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="alliances")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=True)

    class Meta:
        ordering = ["alliance__name", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "member", "role"], name="alliance_member_role"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="alliance_membership_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.alliance} ({self.role})"


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user) -> "PersonQuerySet":
        """Contact persons are never public: only members of the organization that keeps them see them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(steward__in=Membership.objects.held_by(user).values("organization"))

    def editable_by(self, user) -> "PersonQuerySet":
        """The contacts `user` may change: those kept by an organization they edit for; staff all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(steward__in=Organization.objects.editable_by(user).values("pk"))

    def managed_by(self, user) -> "PersonQuerySet":
        """The contacts whose personal data `user` may export or erase: those kept by an
        organization they manage; staff all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(steward__in=Organization.objects.managed_by(user).values("pk"))


class Person(models.Model):
    """A contact person at an organization, kept by one movement organization (its steward)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    steward = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="kept_contacts",
        verbose_name=_("kept by"),
        help_text=_("The movement organization whose members may see and edit this contact."),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_note = models.TextField(
        _("consent"), help_text=_("When and how this person agreed to be recorded here.")
    )
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the person's data were erased: the row stays, so records that name it keep their shape.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("erased contact"))
        return self.name
