"""The Wikidata review queue: a reconciliation run over the directory and, per organization it
looked at, the candidate items found, waiting for a person to accept one, pick another or reject
them all."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization


class ReconciliationRunQuerySet(models.QuerySet["ReconciliationRun"]):
    def visible_to(self, user) -> "ReconciliationRunQuerySet":
        """A run is seen by whoever started it, and by staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(started_by=user)


class ReconciliationRun(models.Model):
    """One pass of the background task over the organizations without a Wikidata item that its
    starter may change."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("organizations to look up"), default=0)
    done = models.PositiveIntegerField(_("organizations looked up"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReconciliationRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Wikidata reconciliation #{self.pk}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class ReconciliationItemQuerySet(models.QuerySet["ReconciliationItem"]):
    def visible_to(self, user) -> "ReconciliationItemQuerySet":
        """Suggestions are reviewed by whoever may change the organization's facts."""
        return self.filter(
            organization__in=Organization.objects.facts_editable_by(user).values("pk")
        )

    def pending(self) -> "ReconciliationItemQuerySet":
        return self.filter(status=ReconciliationItem.Status.PENDING)


class ReconciliationItem(models.Model):
    """The candidates found for one organization, best first, and what a reviewer decided.
    `candidates` is a list of {"qid", "label", "description", "score"} (score 0 to 100)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="items")
    # Not unique per organization: a merge moves a duplicate's suggestions to the kept one.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="wikidata_suggestions"
    )
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    chosen_qid = models.CharField(_("chosen item"), max_length=20, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ReconciliationItemQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "pk"]
        indexes = [models.Index(fields=["status", "run"], name="wd_item_status_run")]

    def __str__(self) -> str:
        return f"Wikidata suggestions for {self.organization}"

    @property
    def best_score(self) -> int:
        return max((int(c.get("score", 0)) for c in self.candidates), default=0)
