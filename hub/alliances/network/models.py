"""The network map's computed snapshots (C10): one per visibility scope and filter set.

A snapshot is derived data, like a cache: the background task (hub/alliances/network/tasks.py)
builds the graph from the records its scope may see, computes the measures and stores them here;
the page and the API read it back in a few queries. It records no history (it changes nothing a
person wrote) and is computed again on request.

The scope (`scope_of`) is what decides which partnerships are counted: "public" for visitors who
are not signed in, "staff" for staff, and "members:<organization ids>" for a signed-in person,
whose private partnerships are those of the organizations they belong to. Two people with the same
scope see the same partnerships (hub.partnerships.models.visible_partnership depends on nothing
else), so they may share a snapshot; nobody ever reads one of another scope.
"""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import Membership


def scope_of(user) -> str:
    """The visibility class of `user`: which partnerships a snapshot for them may count."""
    if not user.is_authenticated:
        return "public"
    if user.is_staff:
        return "staff"
    ids = sorted(set(Membership.objects.held_by(user).values_list("organization_id", flat=True)))
    key = "members:" + ",".join(str(i) for i in ids)
    if len(key) > 60:
        key = "members#" + hashlib.sha256(key.encode()).hexdigest()[:40]
    return key


class NetworkSnapshotQuerySet(models.QuerySet["NetworkSnapshot"]):
    def visible_to(self, user) -> "NetworkSnapshotQuerySet":
        """The snapshots computed over exactly what `user` may see: those of their scope."""
        return self.filter(scope=scope_of(user))


class NetworkSnapshot(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the background worker")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Computed")
        FAILED = "failed", _("Failed")

    scope = models.CharField(max_length=64)
    filters_key = models.CharField(max_length=300)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    partnership_count = models.PositiveIntegerField(default=0)
    # What the page draws: the organizations with their positions (small graphs), or the groups
    # and the ties between them (large ones); a few kilobytes either way.
    drawing = models.JSONField(default=dict)
    # Who brokers between the movement and each type of external organization.
    bridges = models.JSONField(default=dict)
    # Every tie as [organization id, organization id, partnerships, memberships]: read by the API only.
    edges = models.JSONField(default=list)
    computed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now=True)

    objects = NetworkSnapshotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "filters_key"], name="network_snapshot_key")
        ]

    def __str__(self) -> str:
        return f"network {self.scope} {self.filters_key} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


class NetworkNode(models.Model):
    """One organization of a snapshot with its measures (the table's rows)."""

    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE, related_name="nodes")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(max_length=230)
    kind = models.CharField(max_length=30)
    country = models.CharField(max_length=2, blank=True)
    group = models.CharField(max_length=40)
    degree = models.PositiveIntegerField(default=0)
    betweenness = models.FloatField(default=0.0)
    coordinator = models.PositiveIntegerField(default=0)
    itinerant = models.PositiveIntegerField(default=0)
    gatekeeper = models.PositiveIntegerField(default=0)
    representative = models.PositiveIntegerField(default=0)
    liaison = models.PositiveIntegerField(default=0)
    main_role = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-betweenness", "-degree", "label", "pk"]
        indexes = [
            models.Index(
                fields=["snapshot", "-betweenness", "-degree", "label", "id"],
                name="network_node_rank",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "organization"], name="network_node_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def brokerage(self) -> int:
        return sum(getattr(self, role) for role in ROLES)
