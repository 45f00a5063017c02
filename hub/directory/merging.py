"""Moving everything that points at one organization onto another: the generic part of
`hub.directory.services.organization_merge`.

Every foreign key to `Organization` in any installed app is found through `Organization._meta`
(and every generic foreign key through the models' private fields), so the directory moves the
rows of apps above it (participants, contributions, grants, import jobs, and whatever a later app
adds) without importing them.

When a moved row would break a unique constraint against a row of the kept organization (both take
part in one partnership, a person is a member of both), the two rows are one fact: the kept
organization's row stays, takes the stronger value of a ranked field (`rank_on_merge`) and any
value it lacks, and the merged one's row goes. Two rows that disagree in anything else are not one
fact, and the merge is refused rather than lose either.
"""

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from hub.accounts.models import Membership, Role
from hub.core.models import HistoryEntry
from hub.directory.models import Organization

# (model label, field name) -> values from strongest to weakest. A value not listed is weaker than
# every listed one; between two unlisted values the kept organization's stays.
_RANKS: dict[tuple[str, str], tuple[str, ...]] = {}


def rank_on_merge(model: type[models.Model], field: str, strongest_first: Iterable[str]) -> None:
    """Say which value of `model.field` survives when a merge folds two rows into one. An app
    calls this at start-up (`AppConfig.ready`) for its own models."""
    _RANKS[(model._meta.label, field)] = tuple(str(value) for value in strongest_first)


# A person who is a member of both keeps the higher role.
rank_on_merge(Membership, "role", [Role.MANAGER, Role.EDITOR, Role.VIEWER])


def references() -> list[models.ForeignKey]:
    """Every foreign key (and one-to-one key) to Organization, in every installed app, including
    the hidden ones of many-to-many tables."""
    fields = []
    for relation in Organization._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.is_relation:
            field = relation.field  # type: ignore[union-attr]
            if isinstance(field, models.ForeignKey):
                fields.append(field)
    return sorted(fields, key=lambda f: (f.model._meta.label, f.name))


def _generic_keys() -> list[GenericForeignKey]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.private_fields
        if isinstance(field, GenericForeignKey)
    ]


def reference_label(field: models.ForeignKey) -> str:
    """How a page names the rows one reference holds: "grants (funder)"."""
    return f"{field.model._meta.verbose_name_plural} ({field.verbose_name})"


def reference_counts(pks: Sequence[int]) -> dict[int, dict[str, int]]:
    """{organization id: {reference label: rows}} for `pks`, one query per reference, only the
    references that hold rows."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in pks}
    for field in references():
        rows = (
            field.model._base_manager.filter(**{f"{field.attname}__in": pks})
            .values(field.attname)
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row[field.attname]][reference_label(field)] = row["n"]
    return counts


def merge_token(keep: Organization, merged: Organization) -> str:
    """What a confirm page posts back: it changes when either record or the rows that point at
    them change, so a merge confirmed for what the page showed does not move anything else."""
    counts = reference_counts([keep.pk, merged.pk])
    text = repr(
        (
            keep.pk,
            merged.pk,
            keep.updated_at.isoformat(),
            merged.updated_at.isoformat(),
            sorted(counts[keep.pk].items()),
            sorted(counts[merged.pk].items()),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _unique_sets(model: type[models.Model], field: models.ForeignKey) -> list[tuple[list, Any]]:
    """(fields, condition) of each uniqueness rule of `model` that `field` takes part in."""
    sets: list[tuple[list, Any]] = []
    if field.unique:
        sets.append(([field.name], None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _clash(row: models.Model, field: models.ForeignKey, keep: Organization) -> models.Model | None:
    """The row that `row`, pointed at `keep`, would collide with."""
    manager = type(row)._base_manager
    for names, condition in _unique_sets(type(row), field):
        if condition is not None and not manager.filter(condition, pk=row.pk).exists():
            continue
        attnames = [manager.model._meta.get_field(name).attname for name in names]  # type: ignore[union-attr]
        lookup = {attname: getattr(row, attname) for attname in attnames}
        lookup[field.attname] = keep.pk
        others = manager.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        other = others.first()
        if other is not None:
            return other
    return None


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _refuse(row: models.Model, merged: Organization) -> ValidationError:
    return ValidationError(
        _(
            "Both organizations have a %(kind)s that cannot be combined (%(row)s). "
            "Change one of them first."
        )
        % {"kind": row._meta.verbose_name, "row": row},
        code="merge_conflict",
    )


def _fold(row: models.Model, other: models.Model, field: models.ForeignKey, merged) -> None:
    """Fold `row` (the merged organization's) into `other` (the kept one's), or refuse."""
    model = type(row)
    label = model._meta.label
    if any(
        rel.related_model._base_manager.filter(**{rel.field.name: row}).exists()
        for rel in model._meta.related_objects
    ):
        raise _refuse(row, merged)  # rows hang on it: deleting it would lose them
    changes: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.name == field.name:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            continue
        mine, theirs = getattr(other, model_field.attname), getattr(row, model_field.attname)
        if mine == theirs or _empty(theirs):
            continue
        if _empty(mine):
            changes[model_field.attname] = theirs
            continue
        rank = _RANKS.get((label, model_field.name))
        if rank is None:
            raise _refuse(row, merged)
        strength = {value: i for i, value in enumerate(rank)}
        if strength.get(str(theirs), len(rank)) < strength.get(str(mine), len(rank)):
            changes[model_field.attname] = theirs
    row.delete()  # first: the kept row may take a value only one row may hold (the lead)
    if changes:
        model._base_manager.filter(pk=other.pk).update(**changes)


def move_references(*, keep: Organization, merged: Organization) -> dict[str, int]:
    """Point every row that refers to `merged` at `keep` (folding duplicates as the module says);
    returns {reference label: rows moved or folded}. Call inside the merge's transaction."""
    moved: dict[str, int] = {}
    for field in references():
        model = field.model
        manager = model._base_manager
        rows = manager.filter(**{field.attname: merged.pk})
        others = [
            f
            for f in references()
            if f.model is model and f is not field and rows.filter(**{f.attname: keep.pk}).exists()
        ]
        if others:
            raise ValidationError(
                _("The two organizations are linked to each other (%(kind)s): they are not one.")
                % {"kind": model._meta.verbose_name},
                code="merge_linked",
            )
        if not _unique_sets(model, field):
            count = rows.update(**{field.attname: keep.pk})
        else:
            count = 0
            for row in list(rows.order_by("pk")):
                other = _clash(row, field, keep)
                if other is None:
                    manager.filter(pk=row.pk).update(**{field.attname: keep.pk})
                else:
                    _fold(row, other, field, merged)
                count += 1
        if count:
            moved[reference_label(field)] = count
    content_type = ContentType.objects.get_for_model(Organization)
    for generic in _generic_keys():
        generic.model._base_manager.filter(
            **{generic.ct_field: content_type, generic.fk_field: merged.pk}
        ).update(**{generic.fk_field: keep.pk})
    HistoryEntry.objects.filter(content_type=content_type, object_id=merged.pk).update(
        object_id=keep.pk
    )
    return moved
