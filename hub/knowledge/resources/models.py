"""The resource library (C8): templates, guides, links and files a team found useful at a step of a
partnership, each with its language, licence and the date someone should check it again.

Who sees what: a resource is public, movement or private to the members of the organization that
shares it (and its author, and staff), as lessons are. Its file is served only to who sees it.
Who changes what: its author, the editors and managers of its organization, staff.

A resource is shown on the lifecycle steps it is tagged with (by preset step key); the document
templates of the agreements work (hub/lifecycle/documents) are shown with the resources of the
formal-agreement steps (hub/knowledge/resources/steps.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.core.models import Visibility
from hub.core.weburl import WebURLField
from hub.directory.models import ChoiceLabels, Organization
from hub.knowledge.models import Tag, editable_rows, visible_rows


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible_to(self, user) -> ResourceQuerySet:
        """Public to everyone, movement to signed-in people, private to the members of its
        organization and its author; everything to staff."""
        return visible_rows(self, user, "author")

    def editable_by(self, user) -> ResourceQuerySet:
        """The author, editors and managers of its organization, staff."""
        return editable_rows(self, user, "author")


class Licence(models.TextChoices):
    """The licences a shared resource usually carries; "not stated" when its source says none."""

    CC0 = "cc0", _("CC0 1.0 (public domain dedication)")
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved (link only)")
    OTHER = "other", _("Other (said in the description)")
    NOT_STATED = "not-stated", _("Not stated by its source")


def resource_file_path(instance: Resource, filename: str) -> str:
    # The name is the content's hash: a new file never overwrites the one it replaces.
    return f"resources/{instance.sha256[:2]}/{instance.sha256}.{instance.file_kind}"


class Resource(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        TEMPLATE = "template", _("Template")
        GUIDE = "guide", _("Guide")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("what it is for"), blank=True)
    url = WebURLField(_("address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=resource_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_kind = models.CharField(max_length=10, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.NOT_STATED
    )
    review_by = models.DateField(
        _("review by"), help_text=_("When someone should check it is still right and reachable.")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("shared by"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("author"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""),
                name="resource_has_address_or_file",
                violation_error_message=_("Give an address or upload a file."),
            ),
        ]
        indexes = [models.Index(fields=["visibility", "kind"], name="resource_vis_kind")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource_detail", args=[self.pk])

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError({"url": gettext("Give an address or upload a file.")})

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    @property
    def needs_review(self) -> bool:
        return self.review_by <= timezone.localdate()

    def search_document(self) -> dict:
        """What the search indexes of a resource (its readers are those of `visible_to`)."""
        body = [self.description, self.file_name, self.url]
        return {
            "title": self.title,
            "body": "\n\n".join(part for part in body if part),
            "language": self.language,
        }


class ResourceTag(Tag):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")

    class Meta:
        ordering = ["facet", "value"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "facet", "value"], name="resource_tag_once")
        ]
        indexes = [models.Index(fields=["facet", "value"], name="resource_tag_topic")]
