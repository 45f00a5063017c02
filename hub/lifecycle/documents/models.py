"""Documents from templates (C5): letters of intent, memoranda and partnership agreements filled from
a partnership's record.

A template (`DocumentTemplate`) is a named document kind in one language, shipped by the hub
(organization empty) or uploaded by an organization; each upload is a new `TemplateVersion`, never
replaced, kept with its SHA-256 and the placeholders it uses. A `GeneratedDocument` records the
template version, the values it was filled with and the hash of what came out, so it can be
regenerated identically.

Who sees what: shipped templates are everyone's; an organization's templates are seen and used by
its members and changed by its managers. A generated document is seen by whoever may see the
details of its partnership's agreements (hub/lifecycle/agreements/models.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.directory.models import ChoiceLabels, Organization
from hub.lifecycle.agreements.models import Agreement
from hub.partnerships.models import Partnership


class DocumentKind(models.TextChoices):
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    MOU = "mou", _("Memorandum of understanding")
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("Partnership agreement")


class Format(models.TextChoices):
    ODT = "odt", _("OpenDocument text (ODT)")
    DOCX = "docx", _("Word document (DOCX)")
    PDF = "pdf", _("PDF")
    WIKITEXT = "wikitext", _("Wikitext")


class DocumentTemplate(ChoiceLabels, models.Model):
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_templates",
        help_text=_("Empty: shipped with the hub."),
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=120)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "language", "organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "language", "name"],
                name="template_name_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:template_detail", args=[self.pk])


def template_version_path(instance: TemplateVersion, filename: str) -> str:
    return f"templates/{instance.template_id}/{instance.number}-{instance.sha256[:16]}.{instance.format}"


class TemplateVersion(ChoiceLabels, models.Model):
    """One upload of a template: an ODT or DOCX file, or wikitext. Never replaced."""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file = models.FileField(upload_to=template_version_path, max_length=300, blank=True)
    text = models.TextField(_("wikitext"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    placeholders = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_number"),
            models.CheckConstraint(
                condition=Q(format__in=["odt", "docx", "wikitext"]),
                name="template_version_source_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


def generated_document_path(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.partnership_id}/{instance.sha256[:32]}.{instance.format}"


class GeneratedDocument(ChoiceLabels, models.Model):
    """A document filled from a partnership's record with one template version."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="documents"
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    values = models.JSONField(
        default=dict, help_text="What the template was filled with: regenerating reuses it."
    )
    file = models.FileField(upload_to=generated_document_path, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-generated_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-generated_at"], name="document_recent")]

    def __str__(self) -> str:
        return f"{self.template_version} ({self.format})"
