"""Writing many new rows of one model quickly, with the same checks a single save would get.

Services that write thousands of rows at once (the spreadsheet import) use these pieces:

- `Blank(model)()` makes a new instance with the field defaults, as `model()` does, by copying a
  prepared state (Model.__init__ costs tens of microseconds per instance).
- `Relations` sets foreign keys as assignment does, with the descriptor's checks made once per
  related object.
- `FieldChecks` validates chosen fields of many instances as `full_clean()` would (blank, choices,
  each field's validators, and to_python for values not already of the field's type), with each
  field's checks prepared once instead of once per row.
- `ValuesIn` reads which of many values a queryset's rows hold, a chunk per query.
- `insert()` writes new instances without reading their ids back: PostgreSQL's COPY, which parses
  nothing per row beyond the values, and one executemany() on the other databases. Constraints,
  unique indexes and foreign keys apply as for any INSERT.
- `RowError` is what such a service raises for the first bad row, with the row's index.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# Field types whose Python value every driver writes as it is: no get_db_prep_save() per row.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        # a Decimal: what get_db_prep_save() hands every driver (adapt_decimalfield_value
        # returns it unchanged on each backend; SQLite's adapter writes its text)
        "DecimalField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)
# psycopg also writes dates as they are (Django's adapter returns them unchanged).
_PLAIN_ON_POSTGRESQL = _PLAIN_TYPES | {"DateField"}
_INTEGER = ((int,), (bool,))
# The Python types a field's to_python() returns unchanged, so it can be skipped for them, and
# the subtypes it does change (a datetime is a date; True is an int).
_PYTHON_TYPES: dict[str, tuple[tuple[type, ...], tuple[type, ...]]] = {
    "BigIntegerField": _INTEGER,
    "BooleanField": ((bool,), ()),
    "CharField": ((str,), ()),
    "DateField": ((datetime.date,), (datetime.datetime,)),
    "DecimalField": ((decimal.Decimal,), ()),
    "IntegerField": _INTEGER,
    "PositiveIntegerField": _INTEGER,
    "PositiveSmallIntegerField": _INTEGER,
    "SmallIntegerField": _INTEGER,
    "TextField": ((str,), ()),
    "URLField": ((str,), ()),
}


class Blank:
    """Calling it returns a new, unsaved `model` instance holding the field defaults, like `model()`.

    Defaults that are callables are called for each instance, so none is shared. A model with
    pre_init or post_init receivers gets `model()`, so they still run.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.signals = pre_init.has_listeners(model) or post_init.has_listeners(model)
        template = model()
        self.state = {k: v for k, v in template.__dict__.items() if k != "_state"}
        self.callables = [
            (f.attname, f.get_default) for f in model._meta.concrete_fields if _calls_default(f)
        ]

    def __call__(self) -> Any:
        if self.signals:
            return self.model()
        instance = self.model.__new__(self.model)
        instance.__dict__.update(self.state)
        for attname, default in self.callables:
            instance.__dict__[attname] = default()
        instance._state = ModelState()
        return instance


class Relations:
    """Sets foreign keys on many new instances of `model`, as assigning them does.

    The field's descriptor checks the related object's model and asks the database routers where
    both live; `set()` lets it do so for the first instance that gets each related object (an
    import gives 100,000 rows the same receiving organization) and repeats its outcome for the
    others: the key's value, the cached object and the instance's database. With routers
    configured, every assignment goes through the descriptor.
    """

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        self.fields: dict[str, Any] = {name: model._meta.get_field(name) for name in names}
        self.routed = bool(settings.DATABASE_ROUTERS)
        self.known: dict[tuple[str, int], tuple[Any, str | None]] = {}

    def set(self, instance: models.Model, name: str, value: Any) -> None:
        known = None if value is None or self.routed else self.known.get((name, id(value)))
        if known is None or known[0] is not value:
            setattr(instance, name, value)  # the descriptor, with its checks
            if value is not None:
                self.known[(name, id(value))] = (value, instance._state.db)
            return
        field = self.fields[name]
        if instance._state.db is None:
            instance._state.db = known[1]
        instance.__dict__[field.attname] = getattr(value, field.target_field.attname)
        instance._state.fields_cache[field.cache_name] = value


class FieldChecks:
    """What full_clean() checks on `names`, prepared once for many instances of `model`.

    `check(instance)` returns {field name: [messages]} (empty when valid) and, like full_clean(),
    stores the cleaned value back on the instance. A field still holding the very default object
    `Blank` put there is checked once, here, not on every row; so is each distinct text or date
    a field was found valid with (up to MEMO of them per field: a category column repeats a
    dozen values 100,000 times). Validators are functions of the value alone, as Django's are.
    """

    MEMO = 4096

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        self.plan: list[tuple[str, Any, frozenset | None, tuple, tuple, list, Any, set]] = []
        template = model()
        for name in names:
            field: Any = model._meta.get_field(name)
            choices = frozenset(value for value, _label in field.flatchoices) or None
            validators = list(field.validators)
            if choices is not None:
                # A valid choice fits the field (Django's system checks make sure of that).
                validators = [v for v in validators if not isinstance(v, MaxLengthValidator)]
            types, changed = _PYTHON_TYPES.get(field.get_internal_type(), ((), ()))
            default = _UNCHECKED
            if not _calls_default(field):
                try:
                    field.clean(getattr(template, field.attname), template)
                    default = template.__dict__.get(field.attname, _UNCHECKED)
                except ValidationError:
                    pass  # an invalid default is checked on every row, and reported
            valid: set[Any] = set()
            self.plan.append(
                (field.attname, field, choices, types, changed, validators, default, valid)
            )

    def check(self, instance: models.Model) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        values = instance.__dict__
        for attname, field, choices, types, changed, validators, default, valid in self.plan:
            # The stored value, as full_clean() reads it; straight from the instance's dict where
            # it is there (a file field's descriptor would wrap it in a new FieldFile each time).
            raw = values[attname] if attname in values else getattr(instance, attname)
            if raw is default:
                continue
            # Only exact texts and dates are remembered: Decimal("1.0") == Decimal("1.000") and
            # 1 == True, yet a validator may tell them apart.
            kind = type(raw)
            memo = kind is str or kind is datetime.date
            if memo and raw in valid:
                continue
            if raw is None or kind is str:
                empty = not raw
            elif kind in _NEVER_EMPTY:
                empty = False  # (comparing a Decimal with [], () and {} costs three ABC checks)
            else:
                empty = raw in field.empty_values
            if empty and field.blank:
                continue  # as full_clean() skips it
            try:
                if not empty and isinstance(raw, types) and not isinstance(raw, changed):
                    value = raw
                    if choices is not None and value not in choices:
                        raise ValidationError(
                            field.error_messages["invalid_choice"],
                            code="invalid_choice",
                            params={"value": value},
                        )
                    messages = []
                    for validator in validators:
                        try:
                            validator(value)
                        except ValidationError as exc:
                            messages.extend(_messages(field, exc))
                    if messages:
                        raise ValidationError(messages)
                    if memo and len(valid) < self.MEMO:
                        valid.add(raw)
                else:
                    value = field.clean(raw, instance)
            except ValidationError as exc:
                errors[field.name] = exc.messages
                continue
            if value is not raw:
                setattr(instance, attname, value)
        return errors

    def check_and_clean(self, instance: models.Model) -> dict[str, list[Any]]:
        """`check(instance)`, then the model's `clean()`, as full_clean() runs them (without its
        unique and constraint checks, which ask the database a query per row): the errors by
        field, empty when the instance is valid."""
        errors: dict[str, list[Any]] = dict(self.check(instance))
        try:
            instance.clean()
        except ValidationError as exc:
            exc.update_error_dict(errors)
        return errors


_UNCHECKED = object()
# Scalars that never equal one of a field's empty values (None, "", [], (), {}).
_NEVER_EMPTY = frozenset({bool, int, float, decimal.Decimal, datetime.date, datetime.datetime})


def _calls_default(field: Any) -> bool:
    """The field's default is a callable (a new value for each instance)."""
    return field.has_default() and callable(field.default)


def _messages(field: Any, exc: ValidationError) -> list[str]:
    """A validator's messages, with the field's own wording where it has one (as run_validators)."""
    if hasattr(exc, "code") and exc.code in field.error_messages:
        exc.message = field.error_messages[exc.code]
    return exc.messages


class RowError(ValidationError):
    """A ValidationError of one input row of a many-rows write; `index` counts from 0 in the input.

    A PermissionDenied becomes a ValidationError on `refused`, the field whose value the actor
    may not use (the whole row when not said), so a caller reports every row the same way;
    `error` is what the row's check raised.
    """

    def __init__(
        self,
        index: int,
        error: ValidationError | PermissionDenied,
        *,
        refused: str = NON_FIELD_ERRORS,
    ) -> None:
        self.error = error
        if isinstance(error, PermissionDenied):
            error = ValidationError({refused: str(error)})
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


class ValuesIn:
    """Which of many values the rows of `queryset` hold in `name`: `lookup(values)` yields them,
    with one query per `chunk` values (distinct, not None).

    The ORM writes the query for the first chunk of each length; later chunks of that length,
    in this call or the next ones, run that SQL with their own values put in its parameters.
    (Compiling an IN of 500 values again for each chunk cost more than running it.)
    """

    def __init__(self, queryset: models.QuerySet, name: str, chunk: int = 500) -> None:
        self.queryset, self.name, self.chunk = queryset, name, chunk
        self.reusable: dict[int, tuple[str, list[Any], list[int]]] = {}

    def __call__(self, values: Sequence[Any]) -> Iterator[Any]:
        with connection.cursor() as cursor:
            for start in range(0, len(values), self.chunk):
                part = list(values[start : start + self.chunk])
                if len(part) in self.reusable:
                    sql, params, places = self.reusable[len(part)]
                    for place, value in zip(places, part, strict=True):
                        params[place] = value
                else:
                    sql, params, found = _compiled_in(self.queryset, self.name, part)
                    if found is not None:
                        self.reusable[len(part)] = (sql, params, found)
                cursor.execute(sql, params)
                for (value,) in cursor.fetchall():
                    yield value


def _compiled_in(
    queryset: models.QuerySet, name: str, part: list[Any]
) -> tuple[str, list[Any], list[int] | None]:
    """The SQL and parameters of `queryset` filtered by `name` in `part`, and where in the
    parameters the values of `part` are (None when that cannot be told for sure: the values
    are changed on the way, or there are fewer than two)."""

    def compiled(chosen: list[Any]) -> tuple[str, list[Any]]:
        query = queryset.filter(**{f"{name}__in": chosen}).values_list(name, flat=True)
        sql, params = query.query.sql_with_params()
        return sql, list(params)

    sql, params = compiled(part)
    if len(part) < 2:
        return sql, params, None
    # The same values turned by one: only the positions that hold them differ.
    other_sql, other = compiled(part[1:] + part[:1])
    places = [i for i, (a, b) in enumerate(zip(params, other, strict=False)) if a != b]
    exact = (
        other_sql == sql
        and len(other) == len(params)
        and len(places) == len(part)
        and all(
            params[p] == v and type(params[p]) is type(v) for p, v in zip(places, part, strict=True)
        )
    )
    return sql, params, places if exact else None


def insert(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert new `instances` of `model` (ids are not read back). Call it inside a transaction.

    PostgreSQL: COPY. Other databases: one executemany() of a plain INSERT, which the drivers
    run as a prepared statement (SQLite) or rewrite into multi-row INSERTs (MySQL/MariaDB).
    auto_now and auto_now_add fields get one timestamp for the whole call (set on every instance).
    """
    if not instances:
        return
    meta = model._meta
    fields: list[Any] = [f for f in meta.concrete_fields if not f.primary_key]
    postgresql = connection.vendor == "postgresql"
    # Values save() would take from pre_save(): timestamps, once for all rows, already converted.
    stamps: dict[str, tuple[Any, Any]] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = f.pre_save(instances[0], True)
            stamps[f.attname] = (
                value,
                value if postgresql else f.get_db_prep_save(value, connection),
            )
    files = [f for f in fields if isinstance(f, models.FileField)]
    convert = [None if f.attname in stamps else _converter(f, postgresql) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    rows = _rows(instances, fields, files, stamps, convert)
    if not postgresql:
        marks = ", ".join(["%s"] * len(fields))
        # Only quoted names from the model's meta are formatted in; values are parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
        return
    # The driver's cursor, with its errors raised as Django's (IntegrityError, DatabaseError).
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _converter(field: Any, postgresql: bool) -> Any:
    """How a field's value becomes what the driver writes: None when it is written as it is."""
    if field.get_internal_type() in (_PLAIN_ON_POSTGRESQL if postgresql else _PLAIN_TYPES):
        return None
    if isinstance(field, models.FileField):
        return lambda value: None if value is None else str(value)  # its name, as Django stores it
    if field.get_internal_type() == "DateField":
        # A date (FieldChecks made sure) or None: what get_db_prep_save() ends in, without the
        # to_python() steps on the way (a quarter of an import's insert time on SQLite).
        return connection.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _rows(
    instances: Iterable[models.Model],
    fields: list[Any],
    files: list[Any],
    stamps: dict[str, tuple[Any, Any]],
    convert: list[Any],
) -> Iterable[list[Any]]:
    attnames = [
        (field.attname, converter) for field, converter in zip(fields, convert, strict=True)
    ]
    stamped = [(i, stamps[f.attname][1]) for i, f in enumerate(fields) if f.attname in stamps]
    for instance in instances:
        values = instance.__dict__
        for attname, (value, _written) in stamps.items():
            values[attname] = value
        for field in files:
            if values.get(field.attname):  # a file to store; an empty one is written as it is
                setattr(instance, field.attname, field.pre_save(instance, True))
        row = [
            values[attname] if converter is None else converter(values[attname])
            for attname, converter in attnames
        ]
        for position, written in stamped:
            row[position] = written
        yield row
