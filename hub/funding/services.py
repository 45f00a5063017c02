"""Every write to in-kind contributions, valuation rates, exchange rates, grants and deadlines.

Pages, the spreadsheet import and the API call these and nothing else. Each is keyword-only,
atomic, checks permission and records history. Contributions are never hard-deleted from pages:
they are archived (and can be restored).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.permissions import can_edit_for
from hub.core import bulk, history
from hub.core.bulk import FieldChecks
from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry
from hub.directory.models import Organization
from hub.funding.exchange_rates.currency import (
    ExchangeRateFileError,
    parse_ecb_csv,
)
from hub.funding.models import (
    ExchangeRate,
    Grant,
    InKindContribution,
    ReportingDeadline,
    ValuationMethod,
    ValuationRate,
    ValueSource,
)
from hub.partnerships.models import Partnership

CENT = Decimal("0.01")

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
RATE_FIELDS = ["organization", "category", "unit", "amount", "currency", "valid_from", "valid_to"]
RATE_INPUT = [*RATE_FIELDS, "note"]
GRANT_FIELDS = [
    "title",
    "funder",
    "recipient",
    "partnership",
    "amount",
    "currency",
    "restricted",
    "restriction",
    "period_start",
    "period_end",
    "status",
    "description",
    "confidential",
]
GRANT_INPUT = [*GRANT_FIELDS, "import_key"]
RECOMPUTE_ON = {"receiving_organization", "date", "category", "quantity", "unit"}


# --------------------------------------------------------------------------- valuation rates


class RateBook:
    """Valuation rates looked up without a query per contribution (imports value many rows)."""

    def __init__(self) -> None:
        self._by_org: dict[int, list[ValuationRate]] = {}
        # The answers of _check_partnership, remembered with the rates: the import validates
        # many rows with one book.
        self.partnerships: dict[tuple[int, int], bool] = {}

    def in_force(
        self, organization: Organization, category: str, unit: str, on_date: datetime.date
    ) -> ValuationRate | None:
        """The organization's rate for category and unit in force on the date (latest start)."""
        if organization.pk not in self._by_org:
            self._by_org[organization.pk] = list(
                ValuationRate.objects.filter(organization=organization).order_by("-valid_from")
            )
        for rate in self._by_org[organization.pk]:
            if (
                rate.category == category
                and rate.unit == unit
                and rate.valid_from <= on_date
                and (rate.valid_to is None or rate.valid_to >= on_date)
            ):
                return rate
        return None


def rate_in_force(
    organization: Organization, category: str, unit: str, on_date: datetime.date
) -> ValuationRate | None:
    return (
        ValuationRate.objects.filter(organization=organization, category=category, unit=unit)
        .in_force(on_date)
        .order_by("-valid_from")
        .first()
    )


def _rate_snapshot(rate: ValuationRate) -> history.Snapshot:
    return history.snapshot(rate, RATE_INPUT)


def _check_rate(rate: ValuationRate) -> None:
    rate.currency = (rate.currency or "").strip().upper()
    if rate.valid_to and rate.valid_to < rate.valid_from:
        raise ValidationError({"valid_to": _("'Valid to' cannot be before 'valid from'.")})
    rate.full_clean(exclude=["organization"], validate_constraints=False)


def _close_or_refuse_overlaps(actor, rate: ValuationRate) -> None:
    """A new rate ends an open-ended earlier one the day before; any other overlap is refused."""
    others = ValuationRate.objects.select_for_update().filter(
        organization=rate.organization, category=rate.category, unit=rate.unit
    )
    if rate.pk:
        others = others.exclude(pk=rate.pk)
    for other in others:
        end = rate.valid_to or datetime.date.max
        other_end = other.valid_to or datetime.date.max
        if other.valid_from > end or other_end < rate.valid_from:
            continue
        if other.valid_to is None and other.valid_from < rate.valid_from and not rate.pk:
            before = _rate_snapshot(other)
            other.valid_to = rate.valid_from - datetime.timedelta(days=1)
            _check_used_dates(other)
            other.version += 1
            other.save()
            history.record(
                actor=actor,
                instance=other,
                action=HistoryEntry.Action.CHANGE,
                before=before,
                after=_rate_snapshot(other),
            )
            continue
        raise ValidationError(
            {
                "valid_from": _(
                    "These dates overlap the rate %(rate)s. End that rate first, or choose "
                    "other dates."
                )
                % {"rate": other}
            }
        )


def _check_used_dates(rate: ValuationRate) -> None:
    outside = rate.contributions.filter(value_source=ValueSource.RATE).exclude(
        date__gte=rate.valid_from, date__lte=rate.valid_to or datetime.date.max
    )
    count = outside.count()
    if count:
        raise ValidationError(
            {
                "valid_to": _(
                    "%(count)s contributions dated outside these dates were valued with this "
                    "rate. Keep their dates inside the rate's validity."
                )
                % {"count": count}
            }
        )


def _save_change(actor, instance, before: history.Snapshot, after: history.Snapshot) -> bool:
    """Save a changed record with a new version and its history entry; an unchanged one is left."""
    if not history.diff(before, after):
        return False
    instance.version += 1
    instance.save()
    history.record(
        actor=actor,
        instance=instance,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def rate_create(
    *,
    actor,
    organization: Organization,
    category: str,
    unit: str,
    amount: Decimal,
    currency: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> ValuationRate:
    """Add one of an organization's valuation constants. An open-ended earlier rate for the same
    category and unit ends the day before this one starts."""
    if not can_edit_for(actor, organization):
        raise PermissionDenied(_("You can set rates only for organizations you edit for."))
    rate = ValuationRate(
        organization=organization,
        category=category,
        unit=unit,
        amount=amount,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    _check_rate(rate)
    _close_or_refuse_overlaps(actor, rate)
    rate.save()
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.CREATE, after=_rate_snapshot(rate)
    )
    return rate


@transaction.atomic
def rate_update(
    *, actor, rate: ValuationRate, expected_version: int | None = None, **fields: Any
) -> ValuationRate:
    """Correct a rate. Contributions valued with it are revalued (each with its own history)."""
    unknown = set(fields) - (set(RATE_INPUT) - {"organization"})
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if not ValuationRate.objects.editable_by(actor).filter(pk=rate.pk).exists():
        raise PermissionDenied(_("You cannot change this rate."))
    rate = ValuationRate.objects.select_for_update().select_related("organization").get(pk=rate.pk)
    if expected_version is not None and rate.version != expected_version:
        raise StaleVersionError(rate.version)
    before = _rate_snapshot(rate)
    for name, value in fields.items():
        setattr(rate, name, value)
    _check_rate(rate)
    _close_or_refuse_overlaps(actor, rate)
    _check_used_dates(rate)
    after = _rate_snapshot(rate)
    if not history.diff(before, after):
        return rate
    rate.version += 1
    rate.save()
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.CHANGE, before=before, after=after
    )
    for contribution in rate.contributions.filter(value_source=ValueSource.RATE).select_related(
        "receiving_organization", "donor_organization", "partnership"
    ):
        old = _contribution_snapshot(contribution)
        contribution.value = ((contribution.quantity or Decimal(0)) * rate.amount).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        contribution.currency = rate.currency
        contribution.valuation_rate = rate
        _save_change(actor, contribution, old, _contribution_snapshot(contribution))
    _bump_figures()
    return rate


@transaction.atomic
def rate_delete(*, actor, rate: ValuationRate) -> None:
    """Remove a rate entered by mistake; a rate that valued contributions cannot be removed."""
    if not ValuationRate.objects.editable_by(actor).filter(pk=rate.pk).exists():
        raise PermissionDenied(_("You cannot change this rate."))
    if rate.contributions.exists():
        raise ValidationError(
            _("Contributions were valued with this rate; end it (set 'valid to') instead.")
        )
    history.record(
        actor=actor, instance=rate, action=HistoryEntry.Action.DELETE, before=_rate_snapshot(rate)
    )
    rate.delete()


# --------------------------------------------------------------------------- contributions


def _contribution_snapshot(contribution: InKindContribution) -> history.Snapshot:
    data = history.snapshot(
        contribution, [n for n in CONTRIBUTION_FIELDS if n not in ("evidence_file",)]
    )
    data["evidence_file"] = contribution.evidence_file.name or ""
    return data


@dataclass(frozen=True)
class BulkResult:
    created: int
    skipped_existing: int  # rows whose import key was already there (or repeated in the input)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


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
        _text,
    ),
    "currency": lambda value: _text(value).upper(),
    "import_key": lambda value: _text(value) or None,
}
_RELATED = ("receiving_organization", "donor_organization", "partnership")


@dataclass
class _BulkPlan:
    """What _build prepares once for many rows: the field checks and the relation setter."""

    checks: FieldChecks
    relations: bulk.Relations

    @classmethod
    def for_contributions(cls) -> _BulkPlan:
        # What full_clean() looks at: every field but the primary key and the looked-up
        # relations.
        skip = {*CLEAN_EXCLUDE, "import_entry"}
        names = [
            f.name
            for f in InKindContribution._meta.concrete_fields
            if f.name not in skip and not f.primary_key
        ]
        return cls(
            checks=FieldChecks(InKindContribution, names),
            relations=bulk.Relations(InKindContribution, [*_RELATED, "valuation_rate"]),
        )


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
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    # Relations many rows share are set by the plan, which checks each related object once.
    relate = plan.relations.set if plan is not None else setattr
    for name, value in fields.items():
        normalize = _NORMALIZE.get(name)
        if normalize is not None:
            value = normalize(value)
        (relate if name in _RELATED else setattr)(contribution, name, value)

    receiving = getattr(contribution, "receiving_organization", None)
    if contribution.receiving_organization_id is None or receiving is None:
        fail("receiving_organization", _("Choose the organization that received it."))
    elif not receiving.is_movement:
        fail("receiving_organization", _("The receiving organization must be in the movement."))
    if not contribution.donor_organization_id and not contribution.donor_name:
        fail("donor_organization", _("Name the donor: an organization or a person."))
    if contribution.date is None:
        fail("date", _("Give the date."))
    elif contribution.period_end and contribution.period_end < contribution.date:
        fail("period_end", _("The end of the period cannot be before its date."))
    if contribution.quantity is not None:
        contribution.quantity = Decimal(contribution.quantity)
        if contribution.quantity <= 0:
            fail("quantity", _("The quantity must be more than zero."))
        if not contribution.unit:
            fail("unit", _("Give the unit of the quantity (hours, persons, days, m²·days, items)."))
    elif contribution.unit:
        fail("quantity", _("Give the quantity of %(unit)s.") % {"unit": contribution.unit})

    if recompute or contribution.value is None:
        contribution.value_source = ValueSource.RATE
        if contribution.quantity is None or not contribution.unit:
            if "quantity" not in errors and "unit" not in errors:
                fail("value", _("Give a value, or a quantity and unit to value from a rate."))
        elif receiving is not None and contribution.date is not None and not errors:
            rate = rates.in_force(
                receiving, contribution.category, contribution.unit, contribution.date
            )
            if rate is None:
                fail(
                    "value",
                    _(
                        "%(org)s has no valuation rate for %(category)s per %(unit)s in force "
                        "on %(date)s. Give a value, or add a rate."
                    )
                    % {
                        "org": receiving,
                        "category": contribution.get_category_display(),
                        "unit": contribution.get_unit_display(),
                        "date": contribution.date.isoformat(),
                    },
                )
            else:
                if (
                    "currency" in fields
                    and contribution.currency
                    and contribution.currency != rate.currency
                ):
                    fail(
                        "currency",
                        _("The rate in force is in %(rate)s, not %(given)s.")
                        % {"rate": rate.currency, "given": contribution.currency},
                    )
                contribution.value = (contribution.quantity * rate.amount).quantize(
                    CENT, rounding=ROUND_HALF_UP
                )
                contribution.currency = rate.currency
                relate(contribution, "valuation_rate", rate)
                if not contribution.valuation_method:
                    contribution.valuation_method = ValuationMethod.STANDARD_RATE
    else:
        contribution.value_source = ValueSource.GIVEN
        if contribution.valuation_rate_id is not None or plan is None:
            contribution.valuation_rate = None
        contribution.value = Decimal(contribution.value)
        if not contribution.value.is_finite() or contribution.value < 0:
            fail("value", _("The value cannot be negative."))
        if not contribution.currency:
            fail("currency", _("Give the currency of the value, such as EUR."))
        if not contribution.valuation_method:
            contribution.valuation_method = ValuationMethod.FAIR_MARKET_VALUE
    if errors:
        raise ValidationError(errors)
    if plan is not None:
        errors = plan.checks.check(contribution)
        if errors:
            raise ValidationError(errors)
    else:
        contribution.full_clean(
            exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
    return contribution


# Validated by _build itself (organizations, partnership and rate are looked up, not typed in).
CLEAN_EXCLUDE = ["receiving_organization", "donor_organization", "partnership", "valuation_rate"]


def _check_partnership(
    actor,
    partnership: Partnership | None,
    organization: Organization | None,
    seen: dict[tuple[int, int], bool] | None = None,
) -> None:
    """Refuse a partnership the actor may not see or that `organization` (the one that received
    the support) takes no part in: the pages offer only those, and the API and the import are
    held to the same rule here. One answer for both, so it never tells that a partnership exists.
    `seen` remembers the answers (for many rows)."""
    if partnership is None or organization is None:
        return
    seen = {} if seen is None else seen
    key = (partnership.pk, organization.pk)
    if key not in seen:
        seen[key] = (
            Partnership.objects.visible_to(actor)
            .with_organization([organization.pk])
            .filter(pk=partnership.pk)
            .exists()
        )
    if not seen[key]:
        raise ValidationError(
            {
                "partnership": _("Choose a partnership that %(org)s takes part in.")
                % {"org": organization}
            }
        )


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
    if not can_edit_for(actor, contribution.receiving_organization):
        raise PermissionDenied(
            _("You can record contributions only for organizations you edit for.")
        )
    _check_partnership(
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
        after=_contribution_snapshot(contribution),
    )
    _bump_figures()
    return contribution


def contribution_existing_keys(
    *, receiving_organization: Organization, keys: Iterable[str]
) -> set[str]:
    """Which of `keys` the organization already holds (one query per 500 keys).

    A key "hub:<id>" (what exports write for records made in the hub) matches that record.
    """
    return _ExistingKeys(receiving_organization)(keys)


class _ExistingKeys:
    """contribution_existing_keys for one organization, asked again and again (an import asks
    for each batch of rows); its queries are written once."""

    def __init__(self, organization: Organization) -> None:
        held = InKindContribution.objects.filter(receiving_organization=organization)
        # Ordered by the key so that SQLite reads the (organization, key) unique index: its
        # statistics count the many rows without a key as one value, and it would otherwise
        # scan every contribution of the organization (82 ms a batch at 100,000).
        self.by_key = bulk.ValuesIn(held.order_by("import_key"), "import_key")
        self.by_id = bulk.ValuesIn(held.order_by(), "pk")

    def __call__(self, keys: Iterable[str]) -> set[str]:
        keys = list(dict.fromkeys(k for k in keys if k))
        found = set(self.by_key(keys))
        ids = {int(k[4:]): k for k in keys if k.startswith("hub:") and k[4:].isdigit()}
        if ids:
            found.update(ids[pk] for pk in self.by_id(list(ids)))
        return found


class RowError(ValidationError):
    """A ValidationError of one input row; `index` counts from 0 in the input."""

    def __init__(self, index: int, error: ValidationError | PermissionDenied) -> None:
        if isinstance(error, PermissionDenied):
            error = ValidationError({"receiving_organization": str(error)})
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


def import_entry_create(
    *, actor, organization: Organization, source: str, count: int = 0
) -> HistoryEntry:
    """The history entry of an import on the receiving organization ("imported", with the count of
    contributions and `source`, the file's name), to which every contribution it adds points."""
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=organization.pk,
        object_repr=str(organization)[:300],
        action=HistoryEntry.Action.IMPORT,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes={"imported_contributions": [None, count], "source": [None, source]},
    )


def contribution_create_many(
    *,
    actor,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int = 1000,
    source: str = "",
    stage: Stage | None = None,
) -> BulkResult:
    """Record many contributions at once, all or none (the spreadsheet import uses this).

    Each row takes the fields of contribution_create and is validated the same way; the first bad
    row raises RowError (with its index) and nothing is written. Rows whose import_key the
    receiving organization already holds, or that repeat a key of an earlier row, are skipped,
    so importing the same file twice adds nothing.

    History: one entry per receiving organization (on the organization, action "imported", with
    the count and `source`, the file's name), and every new contribution points to it
    (`import_entry`), so its own history page shows who created it, when and from which file.
    One entry per row doubled the rows an import writes.

    Without `stage`, everything happens in one transaction. With a `stage`
    (hub.funding.import_stage), each batch goes to the staging table in a short transaction of
    its own and nothing is visible until the caller publishes the stage; a row may then also
    carry `new_donor` (the number of a donor the stage adds when it is published). The result
    counts the rows staged; the caller discards the stage if this raises.
    """
    if stage is not None:
        return _create_many(actor, rows, batch_size, source, stage)
    with transaction.atomic():
        return _create_many(actor, rows, batch_size, source, None)


class Stage(Protocol):
    def put(self, items: list[InKindContribution]) -> None: ...


def _create_many(
    actor,
    rows: Iterable[Mapping[str, Any]],
    batch_size: int,
    source: str,
    stage: Stage | None,
) -> BulkResult:
    rates = RateBook()
    plan = _BulkPlan.for_contributions()
    blank = bulk.Blank(InKindContribution)
    allowed: dict[int, bool] = {}
    seen: dict[int, set[str]] = {}
    lookups: dict[int, _ExistingKeys] = {}
    entries: dict[int, tuple[HistoryEntry, list[int]]] = {}  # organization -> (entry, [count])
    created = skipped = 0
    batch: list[InKindContribution] = []

    def entry_for(organization: Organization) -> HistoryEntry:
        if organization.pk not in entries:
            entry = import_entry_create(actor=actor, organization=organization, source=source)
            entries[organization.pk] = (entry, [0])
        return entries[organization.pk][0]

    def flush() -> None:
        nonlocal created, skipped
        by_org: dict[int, list[InKindContribution]] = {}
        for item in batch:
            by_org.setdefault(item.receiving_organization_id, []).append(item)
        fresh: list[InKindContribution] = []
        for items in by_org.values():
            org = items[0].receiving_organization
            if org.pk not in lookups:
                lookups[org.pk] = _ExistingKeys(org)
            existing = lookups[org.pk]([i.import_key for i in items if i.import_key])
            keys = seen.setdefault(org.pk, set())
            for item in items:
                if item.import_key and (item.import_key in existing or item.import_key in keys):
                    skipped += 1
                    continue
                if item.import_key:
                    keys.add(item.import_key)
                if stage is None:
                    item.import_entry_id = entry_for(org).pk
                    entries[org.pk][1][0] += 1
                fresh.append(item)
        if stage is None:
            bulk.insert(InKindContribution, fresh)
        elif fresh:
            stage.put(fresh)
        created += len(fresh)
        batch.clear()

    for index, fields in enumerate(rows):
        new_donor = None
        if stage is not None and "new_donor" in fields:
            fields = dict(fields)
            new_donor = fields.pop("new_donor")
        try:
            contribution = blank()
            _build(actor, contribution, fields, rates=rates, recompute=False, plan=plan)
            # By id: the relations are set (and cached) by _build; reading them back through
            # their descriptors cost more than the checks.
            receiving_id = contribution.receiving_organization_id
            if receiving_id not in allowed:
                receiving = contribution.receiving_organization
                allowed[receiving_id] = receiving is not None and can_edit_for(actor, receiving)
            if not allowed[receiving_id]:
                raise PermissionDenied(
                    _("You can record contributions only for organizations you edit for.")
                )
            if contribution.partnership_id is not None:
                _check_partnership(
                    actor,
                    contribution.partnership,
                    contribution.receiving_organization,
                    rates.partnerships,
                )
        except (ValidationError, PermissionDenied) as exc:
            raise RowError(index, exc) from exc
        if stage is not None:
            contribution.__dict__["new_donor"] = new_donor
        batch.append(contribution)
        if len(batch) >= batch_size:
            flush()
    flush()
    if stage is None:
        for entry, (count,) in entries.values():
            entry.changes["imported_contributions"] = [None, count]
            entry.save(update_fields=["changes"])
        _bump_figures()
    return BulkResult(created=created, skipped_existing=skipped)


def _relinks(record, fields: Mapping[str, Any], organization_field: str) -> bool:
    """Whether an update links another partnership, or moves the record to another
    organization (whose partnerships are checked again); a link left as it was is kept."""
    return ("partnership" in fields and fields["partnership"] != record.partnership) or (
        organization_field in fields
        and getattr(fields[organization_field], "pk", None)
        != getattr(record, f"{organization_field}_id")
    )


def _lock_contribution(
    actor, contribution: InKindContribution, expected_version: int | None
) -> InKindContribution:
    if not InKindContribution.objects.editable_by(actor).filter(pk=contribution.pk).exists():
        raise PermissionDenied(_("You cannot edit this contribution."))
    # No select_related: MySQL/MariaDB cannot lock only one side of a join.
    locked = InKindContribution.objects.select_for_update().get(pk=contribution.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    return locked


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
    before = _contribution_snapshot(locked)
    new_org = fields.get("receiving_organization", locked.receiving_organization)
    if new_org.pk != locked.receiving_organization_id and not can_edit_for(actor, new_org):
        raise ValidationError(
            {"receiving_organization": _("You can move it only to an organization you edit for.")}
        )
    recompute = ("value" in fields and fields["value"] is None) or (
        "value" not in fields
        and locked.value_source == ValueSource.RATE
        and any(name in fields for name in RECOMPUTE_ON)
    )
    relinked = _relinks(locked, fields, "receiving_organization")
    _build(actor, locked, fields, rates=RateBook(), recompute=recompute)
    if relinked:
        _check_partnership(actor, locked.partnership, locked.receiving_organization)
    if _save_change(actor, locked, before, _contribution_snapshot(locked)):
        _bump_figures()
    return locked


def _set_archived(
    actor, contribution: InKindContribution, archived: bool, expected_version: int | None
) -> InKindContribution:
    locked = _lock_contribution(actor, contribution, expected_version)
    if locked.archived == archived:
        return locked
    before = _contribution_snapshot(locked)
    locked.archived = archived
    locked.version += 1
    locked.save(update_fields=["archived", "version", "updated_at"])
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.ARCHIVE if archived else HistoryEntry.Action.CHANGE,
        before=before,
        after=_contribution_snapshot(locked),
    )
    _bump_figures()
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


# --------------------------------------------------------------------------- grants and deadlines


def _grant_snapshot(grant: Grant) -> history.Snapshot:
    return history.snapshot(
        grant,
        GRANT_FIELDS,
        deadlines=[
            f"{d.due_date.isoformat()} {d.description}{' ✓' if d.done else ''}"
            for d in grant.deadlines.order_by("due_date", "pk")
        ]
        if grant.pk
        else [],
    )


def _check_grant(actor, grant: Grant, *, relinked: bool = True) -> None:
    errors: dict[str, str] = {}
    grant.currency = _text(grant.currency).upper()
    grant.title = _text(grant.title)
    grant.restriction = _text(grant.restriction)
    if getattr(grant, "recipient", None) is None or grant.recipient_id is None:
        errors["recipient"] = _("Choose the recipient.")
    elif not grant.recipient.is_movement:
        errors["recipient"] = _("The recipient must be a movement organization.")
    if grant.funder_id is None:
        errors["funder"] = _("Choose the funder.")
    elif grant.funder_id == grant.recipient_id:
        errors["funder"] = _("The funder and the recipient are the same organization.")
    if grant.restricted and not grant.restriction:
        errors["restriction"] = _("Say what the funds are restricted to.")
    if not grant.restricted:
        grant.restriction = ""
    if grant.period_start and grant.period_end and grant.period_end < grant.period_start:
        errors["period_end"] = _("The end of the period cannot be before its start.")
    if grant.amount is not None and Decimal(grant.amount) < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    grant.full_clean(
        exclude=["funder", "recipient", "partnership"],
        validate_unique=False,
        validate_constraints=False,
    )
    if relinked:
        _check_partnership(actor, grant.partnership, grant.recipient)


@transaction.atomic
def grant_create(
    *,
    actor,
    title: str,
    funder: Organization,
    recipient: Organization,
    amount: Decimal,
    currency: str,
    status: str = Grant.Status.PROSPECT,
    partnership: Partnership | None = None,
    restricted: bool = False,
    restriction: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    description: str = "",
    confidential: bool = False,
    import_key: str | None = None,
) -> Grant:
    """Record a grant or other cash support to a movement organization the actor edits for."""
    if recipient is None or not can_edit_for(actor, recipient):
        raise PermissionDenied(_("You can record grants only for organizations you edit for."))
    grant = Grant(
        title=title,
        funder=funder,
        recipient=recipient,
        amount=amount,
        currency=currency,
        status=status,
        partnership=partnership,
        restricted=restricted,
        restriction=restriction,
        period_start=period_start,
        period_end=period_end,
        description=description,
        confidential=confidential,
        import_key=import_key or None,
    )
    _check_grant(actor, grant)
    if import_key and Grant.objects.filter(recipient=recipient, import_key=import_key).exists():
        raise ValidationError({"import_key": _("This row was imported before.")})
    grant.save()
    history.record(
        actor=actor, instance=grant, action=HistoryEntry.Action.CREATE, after=_grant_snapshot(grant)
    )
    return grant


def _lock_grant(actor, grant: Grant, expected_version: int | None = None) -> Grant:
    if not Grant.objects.editable_by(actor).filter(pk=grant.pk).exists():
        raise PermissionDenied(_("You cannot edit this grant."))
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    return locked


@transaction.atomic
def grant_update(
    *, actor, grant: Grant, expected_version: int | None = None, **fields: Any
) -> Grant:
    """Change a grant (its status too); fields left out keep their values."""
    unknown = set(fields) - set(GRANT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    locked = _lock_grant(actor, grant, expected_version)
    before = _grant_snapshot(locked)
    new_recipient = fields.get("recipient", locked.recipient)
    if new_recipient.pk != locked.recipient_id and not can_edit_for(actor, new_recipient):
        raise ValidationError(
            {"recipient": _("You can move it only to an organization you edit for.")}
        )
    relinked = _relinks(locked, fields, "recipient")
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_grant(actor, locked, relinked=relinked)
    _save_change(actor, locked, before, _grant_snapshot(locked))
    return locked


def _deadline_change(actor, grant: Grant, change) -> Any:
    locked = _lock_grant(actor, grant)
    before = _grant_snapshot(locked)
    result = change(locked)
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.CHANGE,
        before=before,
        after=_grant_snapshot(locked),
    )
    return result


def _check_deadline(deadline: ReportingDeadline) -> None:
    deadline.description = _text(deadline.description)
    if not deadline.description:
        raise ValidationError({"description": _("Say what is due.")})
    deadline.full_clean(exclude=["grant"])


@transaction.atomic
def deadline_create(
    *, actor, grant: Grant, due_date: datetime.date, description: str
) -> ReportingDeadline:
    """Add a reporting deadline to a grant (recorded in the grant's history)."""

    def change(locked: Grant) -> ReportingDeadline:
        deadline = ReportingDeadline(grant=locked, due_date=due_date, description=description)
        _check_deadline(deadline)
        deadline.save()
        return deadline

    return _deadline_change(actor, grant, change)


@transaction.atomic
def deadline_update(*, actor, deadline: ReportingDeadline, **fields: Any) -> ReportingDeadline:
    """Change a deadline's date or description."""
    unknown = set(fields) - {"due_date", "description"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})

    def change(locked: Grant) -> ReportingDeadline:
        for name, value in fields.items():
            setattr(deadline, name, value)
        _check_deadline(deadline)
        deadline.save()
        return deadline

    return _deadline_change(actor, deadline.grant, change)


@transaction.atomic
def deadline_set_done(
    *, actor, deadline: ReportingDeadline, done: bool = True
) -> ReportingDeadline:
    """Tick a deadline off (or reopen it)."""

    def change(locked: Grant) -> ReportingDeadline:
        deadline.done = done
        deadline.done_at = timezone.now() if done else None
        deadline.save(update_fields=["done", "done_at"])
        return deadline

    return _deadline_change(actor, deadline.grant, change)


@transaction.atomic
def deadline_delete(*, actor, deadline: ReportingDeadline) -> None:
    """Remove a deadline entered by mistake (the grant's history keeps it)."""
    _deadline_change(actor, deadline.grant, lambda locked: deadline.delete())


# --------------------------------------------------------------------------- exchange rates


@dataclass(frozen=True)
class ExchangeRateImport:
    rates: int
    currencies: list[str]
    first: datetime.date | None
    last: datetime.date | None
    not_quoted: int


@transaction.atomic
def exchange_rates_import(*, actor, file, batch_size: int = 2000) -> ExchangeRateImport:
    """Store the rates of an ECB CSV file (eurofxref.csv or eurofxref-hist.csv); staff only.

    Rates already stored for a day are replaced by the file's. All or nothing: a bad value raises
    ExchangeRateFileError naming the line and column, and nothing is stored. One history entry
    records the import.
    """
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only administrators import exchange rates."))
    data = file.read() if hasattr(file, "read") else file
    parsed = parse_ecb_csv(data)
    if not parsed.rates:
        raise ExchangeRateFileError(_("The file holds no exchange rates."))
    target_conflicts = connection.features.supports_update_conflicts_with_target
    for start in range(0, len(parsed.rates), batch_size):
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(date=day, currency=code, rate=rate)
                for day, code, rate in parsed.rates[start : start + batch_size]
            ],
            update_conflicts=True,
            # MySQL/MariaDB find the conflict themselves (ON DUPLICATE KEY) and refuse a target.
            unique_fields=["date", "currency"] if target_conflicts else None,
            update_fields=["rate"],
        )
    HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(ExchangeRate),
        object_id=0,
        object_repr=_("ECB exchange rates %(first)s to %(last)s")
        % {"first": parsed.first, "last": parsed.last},
        action=HistoryEntry.Action.CHANGE,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes={"rates": [None, len(parsed.rates)], "currencies": [None, parsed.currencies]},
    )
    _bump_figures()
    return ExchangeRateImport(
        rates=len(parsed.rates),
        currencies=parsed.currencies,
        first=parsed.first,
        last=parsed.last,
        not_quoted=parsed.missing,
    )


def _bump_figures() -> None:
    """Tell the infographic cache that figures changed (after the transaction commits)."""
    from hub.funding.figures import bump_generation

    transaction.on_commit(bump_generation)
