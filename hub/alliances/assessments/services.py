"""Every write to collective-impact assessments. Pages, the API and the demo loader call these.

Each is keyword-only, atomic, checks permission and records history. A score is given as
{"level": 1..4 or None ("don't know"), "comment": str, "evidence": [(kind, id), ...]}, keyed by
the rubric item; an item left out is "don't know" with no comment. The history keeps the date,
sharing, comments and levels, never the evidence (its titles may be private).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.alliances.assessments import evidence as evidence_links
from hub.alliances.assessments import rubric
from hub.alliances.assessments.models import Assessment, Evidence, Score, assessing_for
from hub.core import history
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.directory.models import Organization

FIELDS = ["assessed_on", "sharing", "note", "organization"]


def _refusal() -> str:
    return _("Only its assessor and the alliance's managers change this assessment.")


def _snapshot(assessment: Assessment) -> history.Snapshot:
    levels: dict[str, Any] = {}
    for score in assessment.scores.all():
        levels[f"level_{score.item}"] = rubric.level_label(score.level)
        if score.comment:
            levels[f"comment_{score.item}"] = score.comment
    return history.snapshot(assessment, FIELDS, **levels)


def _clean_scores(scores: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    unknown = set(scores) - set(rubric.KEYS)
    if unknown:
        raise ValidationError(
            {"scores": _("Unknown rubric items: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}}
        )
    cleaned: dict[str, dict[str, Any]] = {}
    for key in rubric.KEYS:
        given = scores.get(key) or {}
        level = given.get("level")
        if level is not None and level not in rubric.LEVELS:
            raise ValidationError(
                {f"level_{key}": _("Choose a level from 1 to 4, or “Don't know”.")}
            )
        cleaned[key] = {
            "level": level,
            "comment": str(given.get("comment") or "").strip(),
            "evidence": [(str(k), int(pk)) for k, pk in given.get("evidence") or []],
        }
    return cleaned


def _check_date(assessed_on: datetime.date) -> None:
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment is dated today or earlier.")})


def _check_unique(assessment: Assessment) -> None:
    taken = Assessment.objects.filter(
        alliance_id=assessment.alliance_id,
        assessor_id=assessment.assessor_id,
        assessed_on=assessment.assessed_on,
    ).exclude(pk=assessment.pk)
    if taken.exists():
        raise ValidationError(
            {"assessed_on": _("This assessor has assessed this alliance on that date already.")}
        )


def _check_evidence(actor, scores: dict[str, dict[str, Any]], kept: set[tuple[str, int]]) -> None:
    """New evidence must be a record the actor may see; evidence kept from before stays."""
    for key, score in scores.items():
        for kind, pk in score["evidence"]:
            if (kind, pk) in kept:
                continue
            source = evidence_links.SOURCES.get(kind)
            if source is None or not source.visible(actor).filter(pk=pk).exists():
                raise ValidationError({f"evidence_{key}": _("Link records you can see.")})


def _write_scores(actor, assessment: Assessment, scores: dict[str, dict[str, Any]]) -> None:
    existing = {s.item: s for s in assessment.scores.prefetch_related("evidence")}
    for key, given in scores.items():
        score = existing.get(key) or Score(assessment=assessment, item=key)
        score.level = given["level"]
        score.comment = given["comment"]
        score.save()
        old = {(e.kind, e.object_id): e for e in score.evidence.all()} if score.pk else {}
        wanted = set(given["evidence"])
        # Evidence the actor cannot see (linked by someone else) is kept as it is.
        for pair, row in old.items():
            source = evidence_links.SOURCES.get(pair[0])
            unseen = source is None or not source.visible(actor).filter(pk=pair[1]).exists()
            if pair not in wanted and not unseen:
                row.delete()
        Evidence.objects.bulk_create(
            [Evidence(score=score, kind=k, object_id=pk) for k, pk in wanted - set(old)]
        )


def _kept_evidence(assessment: Assessment | None) -> set[tuple[str, int]]:
    if assessment is None:
        return set()
    return set(
        Evidence.objects.filter(score__assessment=assessment).values_list("kind", "object_id")
    )


@transaction.atomic
def assessment_create(
    *,
    actor,
    alliance: Organization,
    organization: Organization,
    assessed_on: datetime.date,
    scores: Mapping[str, Mapping[str, Any]],
    sharing: str = Assessment.Sharing.ALLIANCE,
    note: str = "",
    is_demo: bool = False,
) -> Assessment:
    """Record the actor's assessment of `alliance` on `assessed_on`, for `organization` (the
    alliance or a current member they edit for). Items left out of `scores` are "don't know"."""
    if not alliance.is_alliance:
        raise ValidationError({"alliance": _("Only alliances and hubs are assessed.")})
    if not assessing_for(actor, alliance).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("Editors of the alliance or of one of its member organizations assess it.")
        )
    cleaned = _clean_scores(scores)
    _check_evidence(actor, cleaned, set())
    assessment = Assessment(
        alliance=alliance,
        assessor=actor,
        organization=organization,
        assessed_on=assessed_on,
        sharing=sharing,
        note=note.strip(),
        is_demo=is_demo,
    )
    assessment.full_clean(exclude=["assessor", "alliance", "organization"], validate_unique=False)
    _check_date(assessed_on)
    _check_unique(assessment)
    assessment.save()
    _write_scores(actor, assessment, cleaned)
    history.record(
        actor=actor,
        instance=assessment,
        action=HistoryEntry.Action.CREATE,
        after=_snapshot(assessment),
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor,
    assessment: Assessment,
    expected_version: int | None = None,
    **fields: Any,
) -> Assessment:
    """Change an assessment: assessed_on, sharing, note, organization, scores (all items: those
    left out become "don't know"). Fields left out keep their values."""
    unknown = set(fields) - {*FIELDS, "scores"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    locked = lock_for_edit(
        Assessment.objects.editable_by(actor), assessment.pk, expected_version, refusal=_refusal()
    )
    before = _snapshot(locked)
    organization = fields.get("organization")
    if (
        organization is not None
        and organization.pk != locked.organization_id
        and not assessing_for(actor, locked.alliance).filter(pk=organization.pk).exists()
    ):
        raise PermissionDenied(_("Choose the alliance or a member organization you edit for."))
    for name in FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.note = locked.note.strip()
    locked.full_clean(exclude=["assessor", "alliance", "organization"], validate_unique=False)
    if "assessed_on" in fields:
        _check_date(locked.assessed_on)
        _check_unique(locked)
    if "scores" in fields:
        cleaned = _clean_scores(fields["scores"])
        _check_evidence(actor, cleaned, _kept_evidence(locked))
        _write_scores(actor, locked, cleaned)
    if not save_change(actor, locked, before, _snapshot(locked)):
        locked.save()  # changed evidence alone is not in the history, but is kept
    return locked


@transaction.atomic
def assessment_delete(*, actor, assessment: Assessment) -> None:
    """Delete an assessment with its scores and evidence; its history stays."""
    locked = lock_for_edit(
        Assessment.objects.editable_by(actor), assessment.pk, None, refusal=_refusal()
    )
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.DELETE,
        before=_snapshot(locked),
    )
    locked.delete()
