"""Wiki connections (where and as whom the hub publishes) and publications (what it published)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.directory.models import ChoiceLabels, Organization
from hub.knowledge.models import Lesson
from hub.partnerships.models import Partnership
from hub.wiki.publishing import secrets


class WikiConnectionQuerySet(models.QuerySet["WikiConnection"]):
    def usable_by(self, user) -> WikiConnectionQuerySet:
        """The connections `user` may publish through: their organizations' (editors, managers)."""
        return self.filter(organization__in=Organization.objects.editable_by(user))

    def managed_by(self, user) -> WikiConnectionQuerySet:
        """The connections `user` may add, replace or remove: their organizations' managers."""
        return self.filter(organization__in=Organization.objects.managed_by(user))


class WikiConnection(ChoiceLabels, models.Model):
    """An account on a wiki that an organization publishes with. The secret is stored encrypted
    and never shown again after entry."""

    class Kind(models.TextChoices):
        BOT_PASSWORD = "bot_password", _("Bot password (Special:BotPasswords)")
        OAUTH_TOKEN = "oauth_token", _("Owner-only OAuth 2 access token")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="wiki_connections",
        verbose_name=_("organization"),
    )
    label = models.CharField(_("name"), max_length=120)
    api_url = models.CharField(_("API address"), max_length=500)
    kind = models.CharField(_("sign-in"), max_length=20, choices=Kind.choices)
    username = models.CharField(_("account"), max_length=255, blank=True)
    secret_encrypted = models.TextField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WikiConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "label", "pk"]
        verbose_name = _("wiki connection")

    def __str__(self) -> str:
        return self.label

    def secret(self) -> str:
        """The decrypted secret, for signing in only (raises secrets.SecretUnreadable)."""
        return secrets.decrypt(self.secret_encrypted)


class PublicationQuerySet(models.QuerySet["Publication"]):
    def visible_to(self, user) -> PublicationQuerySet:
        """Publications of the records `user` may see (an organization's table: everyone)."""
        return self.filter(
            Q(partnership__in=Partnership.objects.visible_to(user))
            | Q(lesson__in=Lesson.objects.visible_to(user))
            | Q(kind="organization")
        )

    def of(self, record) -> PublicationQuerySet:
        """The publications of one record (a Partnership, an Organization or a Lesson)."""
        kind = Publication.kind_of(record)
        return self.filter(kind=kind, **{kind: record})


class Publication(ChoiceLabels, models.Model):
    """One edit the hub made on a wiki: which record, which page, the revision it made and the
    wikitext it wrote (what a later read-back compares the page with)."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership page")
        ORGANIZATION = "organization", _("Organization's table of partnerships")
        LESSON = "lesson", _("Learning pattern")

    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="publications"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="publications"
    )
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="publications"
    )
    connection = models.ForeignKey(
        WikiConnection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("connection"),
    )
    api_url = models.CharField(_("API address"), max_length=500)
    title = models.CharField(_("page"), max_length=512)
    revision = models.PositiveBigIntegerField(_("revision"))
    wikitext = models.TextField(_("wikitext"))
    summary = models.CharField(_("edit summary"), max_length=500)
    overwrote = models.BooleanField(_("overwrote changes made on the wiki"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        constraints = [
            models.CheckConstraint(
                name="wiki_publication_one_record",
                condition=(
                    Q(
                        kind="partnership",
                        partnership__isnull=False,
                        organization__isnull=True,
                        lesson__isnull=True,
                    )
                    | Q(
                        kind="organization",
                        partnership__isnull=True,
                        organization__isnull=False,
                        lesson__isnull=True,
                    )
                    | Q(
                        kind="lesson",
                        partnership__isnull=True,
                        organization__isnull=True,
                        lesson__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.revision})"

    @staticmethod
    def kind_of(record) -> str:
        if isinstance(record, Partnership):
            return Publication.Kind.PARTNERSHIP
        if isinstance(record, Organization):
            return Publication.Kind.ORGANIZATION
        if isinstance(record, Lesson):
            return Publication.Kind.LESSON
        raise TypeError(type(record).__name__)

    @property
    def record(self):
        return self.partnership or self.organization or self.lesson

    @property
    def host(self) -> str:
        return urlsplit(self.api_url).hostname or self.api_url

    @property
    def page_url(self) -> str:
        parts = urlsplit(self.api_url)
        path = parts.path.removesuffix("api.php") + "index.php"
        query = "title=" + quote(self.title.replace(" ", "_"))
        return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
