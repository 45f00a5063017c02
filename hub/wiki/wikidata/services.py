"""Every write of the Wikidata work: taking an item's facts into an organization (through the
directory's own `organization_update`, so its rules and history apply), starting and running a
reconciliation of the directory, and the review queue's decisions."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from hub.core import history
from hub.core.models import HistoryEntry
from hub.directory import services as directory_services
from hub.directory.models import Organization
from hub.wiki.wikidata.client import Item, WikidataClient, WikidataError
from hub.wiki.wikidata.models import ReconciliationItem, ReconciliationRun

# What an item can give an organization, in the order the apply page shows them.
TAKEN_FIELDS = {
    "website": gettext_lazy("website"),
    "country": gettext_lazy("country"),
    "ror_id": gettext_lazy("ROR id"),
    "isil": gettext_lazy("ISIL"),
    "viaf_id": gettext_lazy("VIAF id"),
    "wikidata_labels": gettext_lazy("names from Wikidata"),
}
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Change:
    """One fact the item offers: the organization's value beside Wikidata's. `proposed` is
    whether the apply page ticks it: only when the organization has nothing there yet, so what a
    person typed is never replaced without their choosing it."""

    name: str
    label: str
    current: Any
    offered: Any
    proposed: bool

    def _shown(self, value: Any) -> Any:
        if self.name == "country":
            return str(countries.name(str(value))) if value else ""
        return value

    @property
    def shown_current(self) -> Any:
        return self._shown(self.current)

    @property
    def shown_offered(self) -> Any:
        return self._shown(self.offered)


def _value(item: Item, name: str) -> Any:
    if name == "wikidata_labels":
        return dict(item.labels)
    return getattr(item, name)


def changes_for(organization: Organization, item: Item) -> list[Change]:
    """The facts `item` has that differ from the organization's (nothing for what Wikidata
    lacks or what already agrees)."""
    found = []
    for name, label in TAKEN_FIELDS.items():
        offered = _value(item, name)
        current = getattr(organization, name)
        if name == "country":
            current = str(current or "")
        if not offered or offered == current:
            continue
        found.append(Change(name, str(label), current, offered, proposed=not current))
    return found


def _may_edit(actor, organization: Organization) -> None:
    if not Organization.objects.facts_editable_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("You cannot edit this organization."))


@transaction.atomic
def organization_wikidata_apply(
    *, actor, organization: Organization, item: Item, fields: list[str]
) -> Organization:
    """Link `organization` to `item` and take the facts named in `fields` (of TAKEN_FIELDS) from
    it, through `organization_update` (its permission, validation and history)."""
    _may_edit(actor, organization)
    unknown = set(fields) - set(TAKEN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    values: dict[str, Any] = {"wikidata_id": item.qid}
    for name in fields:
        if _value(item, name):
            values[name] = _value(item, name)
    return directory_services.organization_update(actor=actor, organization=organization, **values)


# --- reconciliation of the directory -----------------------------------------------------------


def may_reconcile(user) -> bool:
    """Staff and the managers of an organization start a reconciliation."""
    return Organization.objects.managed_by(user).exists()


def reconciliation_scope(user):
    """The organizations a run started by `user` looks up: without a Wikidata item, whose facts
    `user` may change, and without suggestions still waiting for review."""
    waiting = ReconciliationItem.objects.pending().filter(organization=OuterRef("pk"))
    return (
        Organization.objects.facts_editable_by(user)
        .filter(wikidata_id="")
        .exclude(Exists(waiting))
        .order_by("pk")
    )


@transaction.atomic
def reconciliation_start(*, actor) -> ReconciliationRun:
    """Queue a background run over `reconciliation_scope(actor)` (hub.wiki.wikidata.tasks)."""
    if not may_reconcile(actor):
        raise PermissionDenied(_("Only managers and administrators reconcile the directory."))
    if ReconciliationRun.objects.filter(
        started_by=actor,
        status__in=[ReconciliationRun.Status.QUEUED, ReconciliationRun.Status.RUNNING],
    ).exists():
        raise ValidationError(
            _("Your reconciliation is still running. Wait until it has finished."), code="running"
        )
    run = ReconciliationRun.objects.create(
        started_by=actor, total=reconciliation_scope(actor).count()
    )
    history.record(
        actor=actor, instance=run, action=HistoryEntry.Action.CREATE, after={"total": run.total}
    )
    from hub.wiki.wikidata.tasks import reconcile_directory

    transaction.on_commit(lambda: reconcile_directory.enqueue(run.pk))
    return run


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def score(organization: Organization, candidate) -> int:
    """0 to 100: how alike the names are (label or the alias the search matched), and 15 more
    when the description names the organization's country ("university in Iraq")."""
    names = [n for n in (organization.name, organization.local_name) if n]
    found = [n for n in (candidate.label, candidate.matched) if n]
    ratio = max(
        (difflib.SequenceMatcher(None, _plain(a), _plain(b)).ratio() for a in names for b in found),
        default=0.0,
    )
    bonus = 0
    if organization.country:
        country = _plain(str(countries.name(organization.country)))
        if country and country in _plain(candidate.description):
            bonus = 15
    return min(100, round(ratio * 85) + bonus)


def _candidates_for(client: WikidataClient, organization: Organization) -> list[dict]:
    seen: dict[str, dict] = {}
    for text in dict.fromkeys(n for n in (organization.name, organization.local_name) if n):
        for candidate in client.search(text):
            if candidate.qid in seen:
                continue
            seen[candidate.qid] = {
                "qid": candidate.qid,
                "label": candidate.label,
                "description": candidate.description,
                "score": score(organization, candidate),
            }
    ranked = sorted(seen.values(), key=lambda c: (-c["score"], c["qid"]))
    return ranked[:MAX_CANDIDATES]


def reconciliation_run(run: ReconciliationRun, *, client: WikidataClient | None = None) -> None:
    """The background task's work: search Wikidata for each organization of the run's scope and
    queue what it finds for review, counting progress as it goes. Stops, saying why, when
    Wikidata cannot answer; what it queued so far stays."""
    client = client or WikidataClient()
    run.status = ReconciliationRun.Status.RUNNING
    run.save(update_fields=["status"])
    starter = run.started_by
    try:
        if starter is None or not may_reconcile(starter):
            raise PermissionDenied
        for organization in reconciliation_scope(starter).iterator():
            candidates = _candidates_for(client, organization)
            with transaction.atomic():
                if candidates:
                    ReconciliationItem.objects.create(
                        run=run, organization=organization, candidates=candidates
                    )
                run.done += 1
                run.save(update_fields=["done"])
    except WikidataError as exc:
        run.status, run.message = ReconciliationRun.Status.FAILED, str(exc)
    except PermissionDenied:
        run.status = ReconciliationRun.Status.FAILED
        run.message = _("Whoever started this run may no longer reconcile the directory.")
    else:
        run.status = ReconciliationRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])


def _decide(*, actor, suggestion: ReconciliationItem, status: str, qid: str = "") -> None:
    before = history.snapshot(suggestion, ["status", "chosen_qid"])
    suggestion.status, suggestion.chosen_qid = status, qid
    suggestion.reviewed_by, suggestion.reviewed_at = actor, timezone.now()
    suggestion.save(update_fields=["status", "chosen_qid", "reviewed_by", "reviewed_at"])
    history.record(
        actor=actor,
        instance=suggestion,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=history.snapshot(suggestion, ["status", "chosen_qid"]),
    )


def _pending(actor, suggestion: ReconciliationItem) -> ReconciliationItem:
    _may_edit(actor, suggestion.organization)
    locked = ReconciliationItem.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != ReconciliationItem.Status.PENDING:
        raise ValidationError(_("Someone has reviewed these suggestions already."), code="done")
    return locked


@transaction.atomic
def suggestion_accept(
    *, actor, suggestion: ReconciliationItem, item: Item, fields: list[str]
) -> Organization:
    """Accept `item` (one of the candidates, or another the reviewer picked) for the suggestion's
    organization, taking the facts in `fields`."""
    suggestion = _pending(actor, suggestion)
    organization = organization_wikidata_apply(
        actor=actor, organization=suggestion.organization, item=item, fields=fields
    )
    _decide(
        actor=actor, suggestion=suggestion, status=ReconciliationItem.Status.ACCEPTED, qid=item.qid
    )
    return organization


@transaction.atomic
def suggestion_reject(*, actor, suggestion: ReconciliationItem) -> None:
    """None of the candidates is the organization; it keeps no Wikidata item."""
    suggestion = _pending(actor, suggestion)
    _decide(actor=actor, suggestion=suggestion, status=ReconciliationItem.Status.REJECTED)
