"""What partners agreed: a partnership's agreements, their parties and signatories, the signed files
(each version kept with its SHA-256) and the checklist, scored as the partnering-agreement scorecard
does (../shared/reference/partnering.md §1).

Who sees what: that an agreement exists (its type, status and dates) is seen by whoever sees the
partnership. Its details (parties' signatories and addresses, the checklist and its notes, the
signed files) are seen only by members of the partnership's participants and staff, unless the
agreement is marked public (`details_public`). Editors of the partnership change its agreements.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.directory.models import ChoiceLabels, Organization
from hub.funding.grants.models import Grant
from hub.partnerships.models import Participant, Partnership, visible_partnership


def participant_member_q(user, through: str = "partnership") -> Q:
    """True where `user` is a member (any role) of one of the partnership's participants, or
    staff: who sees every agreement's details (`through` leads from the row to the partnership)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q(pk__isnull=False)
    return Q(
        Exists(
            Participant.objects.filter(
                partnership=OuterRef(through or "pk"), organization__user_memberships__user=user
            )
        )
    )


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user) -> AgreementQuerySet:
        """Agreements of the partnerships `user` sees (their existence, type, status and dates)."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.filter(visible_partnership(user, "partnership"))

    def details_visible_to(self, user) -> AgreementQuerySet:
        """Agreements whose details `user` sees: the participants' members and staff, and
        everyone who sees the partnership when the details are public."""
        return self.visible_to(user).filter(Q(details_public=True) | participant_member_q(user))

    def editable_by(self, user) -> AgreementQuerySet:
        """Editors of the partnership change its agreements."""
        return self.filter(partnership__in=Partnership.objects.editable_by(user).values("pk"))


class Agreement(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        NONE = "none", _("No written agreement")
        INSTITUTION_LETTER = "institution_letter", _("Letter from the institution")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        MOU = "mou", _("Memorandum of understanding")
        PARTNERSHIP_AGREEMENT = "partnership_agreement", _("Partnership agreement")
        CONTRACT = "contract", _("Contract")
        GRANT_AGREEMENT = "grant_agreement", _("Grant agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        SIGNED = "signed", _("Signed")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    class Licence(models.TextChoices):
        CC_BY_SA = "cc_by_sa", _("CC BY-SA")
        CC_BY = "cc_by", _("CC BY")
        CC0 = "cc0", _("CC0")
        VRT = "vrt", _("Permission through a VRT ticket")
        OTHER = "other", _("Other (see the checklist's note)")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    end_date = models.DateField(_("ends"), null=True, blank=True)
    renewal_date = models.DateField(
        _("renewal or notice date"),
        null=True,
        blank=True,
        help_text=_("The date by which to renew it or give notice."),
    )
    licence = models.CharField(
        _("content licence"), max_length=12, choices=Licence.choices, blank=True
    )
    vrt_ticket = models.CharField(
        _("VRT ticket"),
        max_length=40,
        blank=True,
        help_text=_("The permission ticket's number, when the licence is given through VRT."),
    )
    grant = models.ForeignKey(
        Grant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("grant"),
        help_text=_("The grant this agreement governs, if any."),
    )
    details_public = models.BooleanField(
        _("details public"),
        default=False,
        help_text=_(
            "Show the parties, signatories, checklist and signed files to everyone who sees the "
            "partnership (otherwise only its participants' members see them)."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(end_date__gte=models.F("effective_date")),
                name="agreement_end_not_before_start",
                violation_error_message=_("The end date cannot be before the effective date."),
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status"], name="agreement_partnership_status"),
            models.Index(fields=["end_date"], name="agreement_end"),
            models.Index(fields=["renewal_date"], name="agreement_renewal"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:agreement_detail", args=[self.partnership_id, self.pk])

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.effective_date and self.end_date and self.end_date < self.effective_date:
            errors["end_date"] = _("The end date cannot be before the effective date.")
        if self.licence == self.Licence.VRT and not self.vrt_ticket.strip():
            errors["vrt_ticket"] = _("Give the VRT ticket's number.")
        if self.grant_id and self.kind not in (self.Kind.GRANT_AGREEMENT, self.Kind.CONTRACT):
            errors["grant"] = _("Only a grant agreement or a contract governs a grant.")
        if errors:
            raise ValidationError(errors)


class AgreementParty(models.Model):
    """An organization bound by the agreement, the person signing for it and when they signed.

    The executing unit is the part that does the work when it differs from the legal party (a
    research centre of a university)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agreement_parties"
    )
    address = models.TextField(_("address"), blank=True)
    signatory_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signatory_role = models.CharField(_("signatory's role"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    executing_unit = models.CharField(
        _("executing unit"),
        max_length=200,
        blank=True,
        help_text=_("The part of the organization that does the work, when it is not the party."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreement_party_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def clean(self) -> None:
        if self.signed_on and not self.signatory_name.strip():
            raise ValidationError({"signatory_name": _("Say who signed.")})


def agreement_file_path(instance: AgreementFile, filename: str) -> str:
    # The name is the content's hash: a version is never overwritten by another.
    return f"agreements/{instance.agreement_id}/{instance.sha256}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot > 0 else ""
    return suffix if suffix.isascii() and len(suffix) <= 6 else ""


class AgreementFile(models.Model):
    """A signed (or draft) file of the agreement. Never replaced: a new file is a new version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(upload_to=agreement_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    signed = models.BooleanField(_("signed copy"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_file_number"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class ChecklistItem(ChoiceLabels, models.Model):
    """One thing the agreement should settle, scored as the partnering-agreement scorecard does."""

    class Topic(models.TextChoices):
        ROLES = "roles", _("Roles and responsibilities")
        DECISIONS = "decisions", _("Decision authority")
        COMMUNICATION = "communication", _("Communication")
        RESOURCES = "resources", _("Who puts money in (and in-kind)")
        IP_LICENCE = "ip_licence", _("Intellectual property and licence")
        ATTRIBUTION = "attribution", _("Attribution and use of logos")
        DATA_PROTECTION = "data_protection", _("Data protection")
        DISPUTES = "disputes", _("Dispute resolution")
        EXIT = "exit", _("Exit strategy")

    class Score(models.TextChoices):
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        NOT_IN_PLACE = "not_in_place", _("Not in place")
        PARTLY = "partly", _("Partly in place")
        FULLY = "fully", _("Fully in place")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="checklist")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    score = models.CharField(_("score"), max_length=14, choices=Score.choices, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What was agreed, or what is missing.")
    )

    class Meta:
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "topic"], name="checklist_topic_once"),
        ]

    def __str__(self) -> str:
        return str(self.get_topic_display())
