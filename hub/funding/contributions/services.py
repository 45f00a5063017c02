"""Every write to one in-kind contribution. Pages, the import and the API call these and nothing
else (many rows at once: hub/funding/contributions/bulk.py).

Each is keyword-only, atomic, checks permission and records history. Contributions are never
hard-deleted from pages: they are archived (and can be restored). A contribution's single-row
rules are `InKindContribution.clean()`; valuing it from a rate (a rule across rows) is here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.funding.choices import ValuationMethod, ValueSource
from hub.funding.common import (
    acts_for,
    check_partnership,
    relinks,
    text,
)
from hub.funding.contributions.models import InKindContribution, _number
from hub.funding.rates.models import RateBook, ValuationRate

if TYPE_CHECKING:
    from hub.funding.contributions.bulk import _BulkPlan

CONTRIBUTION_FIELDS = [
    "receiving_organization",
    "donor_organization",
    "donor_name",
    "partnership",
    "date",
    "period_end",
    "category",
    "description",
    "quantity",
    "unit",
    "value",
    "currency",
    "valuation_method",
    "value_source",
    "valuation_rate",
    "evidence_url",
    "evidence_file",
    "acknowledgement",
    "confidential",
    "archived",
]
# What a caller may set; value_source and valuation_rate follow from `value`.
CONTRIBUTION_INPUT = [
    name
    for name in CONTRIBUTION_FIELDS
    if name not in ("value_source", "valuation_rate", "archived")
] + ["import_key"]
_CONTRIBUTION_INPUT = frozenset(CONTRIBUTION_INPUT)
RECOMPUTE_ON = {"receiving_organization", "date", "category", "quantity", "unit"}
# Validated by _build itself (organizations, partnership and rate are looked up, not typed in).
CLEAN_EXCLUDE = ["receiving_organization", "donor_organization", "partnership", "valuation_rate"]


def contribution_snapshot(contribution: InKindContribution) -> history.Snapshot:
    """What a contribution's history records of it."""
    data = history.snapshot(
        contribution, [n for n in CONTRIBUTION_FIELDS if n not in ("evidence_file",)]
    )
    data["evidence_file"] = contribution.evidence_file.name or ""
    return data


# How _build tidies what it is given, by field.
_NORMALIZE: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(
        (
            "donor_name",
            "description",
            "acknowledgement",
            "evidence_url",
            "unit",
            "category",
            "valuation_method",
        ),
        text,
    ),
    "currency": lambda value: text(value).upper(),
    "import_key": lambda value: text(value) or None,
}
_RELATED = ("receiving_organization", "donor_organization", "partnership")


def _build(
    actor,
    contribution: InKindContribution,
    fields: Mapping[str, Any],
    *,
    rates: RateBook,
    recompute: bool,
    plan: _BulkPlan | None = None,
) -> InKindContribution:
    """Apply `fields`, value it and validate it without touching the database (except rates).

    Raises ValidationError keyed by field name. `recompute` asks for the value from the rate.
    `plan` (for many rows) validates the fields as full_clean() would, prepared once.
    """
    unknown = fields.keys() - _CONTRIBUTION_INPUT
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    errors: dict[str, Any] = {}

    # Relations many rows share are set by the plan, which checks each related object once.
    relate = plan.relations.set if plan is not None else setattr
    for name, value in fields.items():
        normalize = _NORMALIZE.get(name)
        if normalize is not None:
            value = normalize(value)
        (relate if name in _RELATED else setattr)(contribution, name, value)

    if recompute or contribution.value is None:
        contribution.value_source = ValueSource.RATE
        _value_from_rate(contribution, fields, rates, relate, errors)
    else:
        contribution.value_source = ValueSource.GIVEN
        if contribution.valuation_rate_id is not None or plan is None:
            contribution.valuation_rate = None
        if not contribution.valuation_method:
            contribution.valuation_method = ValuationMethod.FAIR_MARKET_VALUE
    if plan is not None:
        for name, messages in plan.checks.check(contribution).items():
            errors.setdefault(name, []).extend(messages)
        try:
            contribution.clean()
        except ValidationError as exc:
            exc.update_error_dict(errors)
    else:
        try:
            contribution.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False)
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return contribution


def _value_from_rate(
    contribution: InKindContribution,
    fields: Mapping[str, Any],
    rates: RateBook,
    relate: Callable[[Any, str, Any], None],
    errors: dict[str, Any],
) -> None:
    """Value the quantity with the receiving organization's rate in force on the date. What
    keeps it from being valued (no quantity, a bad date) is the model's to say, not repeated."""
    quantity = _number(contribution.quantity)
    if contribution.quantity is None and not contribution.unit:
        errors["value"] = [_("Give a value, or a quantity and unit to value from a rate.")]
        return
    receiving = getattr(contribution, "receiving_organization", None)
    if (
        receiving is None
        or not receiving.is_movement
        or quantity is None
        or quantity <= 0
        or not contribution.unit
        or not hasattr(contribution.date, "isoformat")
        or (contribution.period_end and contribution.period_end < contribution.date)
    ):
        return
    rate = rates.in_force(receiving, contribution.category, contribution.unit, contribution.date)
    if rate is None:
        errors["value"] = [
            _(
                "%(org)s has no valuation rate for %(category)s per %(unit)s in force "
                "on %(date)s. Give a value, or add a rate."
            )
            % {
                "org": receiving,
                "category": contribution.get_category_display(),
                "unit": contribution.get_unit_display(),
                "date": contribution.date.isoformat(),
            }
        ]
        return
    if "currency" in fields and contribution.currency and contribution.currency != rate.currency:
        errors["currency"] = [
            _("The rate in force is in %(rate)s, not %(given)s.")
            % {"rate": rate.currency, "given": contribution.currency}
        ]
    contribution.quantity = quantity
    contribution.value = rate.value_of(quantity)
    contribution.currency = rate.currency
    relate(contribution, "valuation_rate", rate)
    if not contribution.valuation_method:
        contribution.valuation_method = ValuationMethod.STANDARD_RATE


def contribution_validate(
    *, actor, rates: RateBook | None = None, **fields: Any
) -> InKindContribution:
    """Validate and value a contribution without saving it (the import's preview uses this).

    Raises PermissionDenied when the actor does not edit for the receiving organization, and
    ValidationError keyed by field name otherwise. Takes the same fields as contribution_create.
    """
    contribution = InKindContribution()
    rates = rates or RateBook()
    _build(actor, contribution, fields, rates=rates, recompute=False)
    if not acts_for(actor, contribution.receiving_organization):
        raise PermissionDenied(
            _("You can record contributions only for organizations you edit for.")
        )
    check_partnership(
        actor, contribution.partnership, contribution.receiving_organization, rates.partnerships
    )
    return contribution


@transaction.atomic
def contribution_create(*, actor, **fields: Any) -> InKindContribution:
    """Record an in-kind contribution.

    Fields: receiving_organization (required), donor_organization or donor_name, partnership,
    date, period_end, category, description, quantity, unit, value, currency, valuation_method,
    evidence_url, evidence_file, acknowledgement, confidential, import_key. Without a value, the
    value comes from the receiving organization's rate in force on the date (category + unit),
    and the contribution records that rate.
    """
    from hub.funding.contributions.bulk import contribution_existing_keys

    contribution = contribution_validate(actor=actor, **fields)
    if contribution.import_key and contribution_existing_keys(
        receiving_organization=contribution.receiving_organization,
        keys=[contribution.import_key],
    ):
        raise ValidationError({"import_key": _("This row was imported before.")})
    contribution.save()
    history.record(
        actor=actor,
        instance=contribution,
        action=HistoryEntry.Action.CREATE,
        after=contribution_snapshot(contribution),
    )
    return contribution


def _lock_contribution(
    actor, contribution: InKindContribution, expected_version: int | None
) -> InKindContribution:
    return lock_for_edit(
        InKindContribution.objects.editable_by(actor),
        contribution.pk,
        expected_version,
        refusal=_("You cannot edit this contribution."),
    )


@transaction.atomic
def contribution_update(
    *,
    actor,
    contribution: InKindContribution,
    expected_version: int | None = None,
    **fields: Any,
) -> InKindContribution:
    """Change a contribution; fields left out keep their values.

    `value=None` asks for the value from the rate in force. A value that came from a rate is
    recomputed when its date, category, quantity, unit or organization change (unless a value
    is given).
    """
    locked = _lock_contribution(actor, contribution, expected_version)
    before = contribution_snapshot(locked)
    new_org = fields.get("receiving_organization", locked.receiving_organization)
    if new_org.pk != locked.receiving_organization_id and not acts_for(actor, new_org):
        raise ValidationError(
            {"receiving_organization": _("You can move it only to an organization you edit for.")}
        )
    recompute = ("value" in fields and fields["value"] is None) or (
        "value" not in fields
        and locked.value_source == ValueSource.RATE
        and any(name in fields for name in RECOMPUTE_ON)
    )
    relinked = relinks(locked, dict(fields), "receiving_organization")
    _build(actor, locked, fields, rates=RateBook(), recompute=recompute)
    if relinked:
        check_partnership(actor, locked.partnership, locked.receiving_organization)
    save_change(actor, locked, before, contribution_snapshot(locked))
    return locked


def contributions_revalue(*, actor, rate: ValuationRate) -> None:
    """Value again every contribution valued with `rate` (after rate_update corrected it), each
    with its own history entry. Call it inside the rate's transaction."""
    for contribution in rate.contributions.filter(value_source=ValueSource.RATE).select_related(
        "receiving_organization", "donor_organization", "partnership"
    ):
        old = contribution_snapshot(contribution)
        contribution.value = rate.value_of(contribution.quantity or 0)
        contribution.currency = rate.currency
        contribution.valuation_rate = rate
        save_change(actor, contribution, old, contribution_snapshot(contribution))


def _set_archived(
    actor, contribution: InKindContribution, archived: bool, expected_version: int | None
) -> InKindContribution:
    locked = _lock_contribution(actor, contribution, expected_version)
    if locked.archived == archived:
        return locked
    before = contribution_snapshot(locked)
    locked.archived = archived
    locked.version += 1
    locked.save(update_fields=["archived", "version", "updated_at"])
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.ARCHIVE if archived else HistoryEntry.Action.CHANGE,
        before=before,
        after=contribution_snapshot(locked),
    )
    return locked


@transaction.atomic
def contribution_archive(
    *, actor, contribution: InKindContribution, expected_version: int | None = None
) -> InKindContribution:
    """Take a contribution out of lists, totals and exports; it stays, with its history."""
    return _set_archived(actor, contribution, True, expected_version)


@transaction.atomic
def contribution_restore(
    *, actor, contribution: InKindContribution, expected_version: int | None = None
) -> InKindContribution:
    """Bring an archived contribution back."""
    return _set_archived(actor, contribution, False, expected_version)
