import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.core.exceptions import StaleVersionError

# The largest id the databases store (a signed 64-bit integer: BigAutoField on all three).
DB_INT_MAX = 2**63 - 1
# ASCII digits only: str.isdigit() and int() also take other scripts' digits and superscripts
# ("١٢", "²"), which the databases and int() then disagree about. 30 digits is past any id.
_DIGITS = re.compile(r"[0-9]{1,30}")


def read_digits(value: Any) -> int | None:
    """The number `value` writes in ASCII digits (surrounding spaces allowed), else None."""
    text = "" if value is None else str(value).strip()
    return int(text) if _DIGITS.fullmatch(text) else None


def parse_int(value: Any, *, min_value: int = 1, max_value: int = DB_INT_MAX) -> int | None:
    """The whole number a query parameter gives, if it lies in [min_value, max_value]; None for
    anything else (empty, signs, decimals, other scripts' digits, NUL bytes, too large). Every
    number read from a query string outside a form goes through here, as fields do through
    `WholeNumberField`: a value the database cannot hold never reaches a query."""
    number = read_digits(value)
    return number if number is not None and min_value <= number <= max_value else None


class WholeNumberField(forms.IntegerField):
    """An integer field that takes ASCII digits only and, unless told otherwise, stays within
    what the database can store (1 to 2**63 - 1): the filters' ids, years and numbers."""

    def __init__(self, *, min_value: int = 1, max_value: int = DB_INT_MAX, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = read_digits(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class RecordChoiceField(forms.ModelChoiceField):
    """A record chosen by its id; an id that is not a number the database can hold is an
    unknown choice like any other, never a database error."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Model):
            return super().to_python(value)
        if value not in self.empty_values and parse_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class VersionField(WholeNumberField):
    """The version of the record an edit form was opened on, posted back in a hidden input.

    Its errors name the field: a person never sees it, so the message says what happened."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": gettext_lazy(
            "This page was sent without the version of the record it edits (the hidden field "
            "“version”), so saving it could overwrite someone else's changes. Open the record "
            "again and make your changes there."
        ),
        "invalid": gettext_lazy(
            "The version of the record this page edits (the hidden field “version”) is not "
            "valid. Open the record again and make your changes there."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_int(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class VersionedForm(forms.Form):
    """A form that changes a record with a `version` (optimistic locking; the services compare it).

    Opened on a record, the form's initial data carry the record's version, and the post must
    bring it back: without it (or with a garbled one) the form is refused, never saved over
    whatever someone else saved meanwhile. A form that creates a record has no initial version
    and needs none. The hidden field's errors are shown at the top of the form. Mix it into a
    ModelForm as `class F(VersionedForm, forms.ModelForm)`.
    """

    version = VersionField()

    def clean_version(self) -> int | None:
        version = self.cleaned_data.get("version")
        if version is None and self.initial.get("version") is not None:
            raise ValidationError(self.fields["version"].error_messages["required"], "required")
        return version

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        errors = self.errors.pop("version", None)
        for error in errors.as_data() if errors else []:
            self.add_error(None, error)
        return data


def stale_message(noun: str) -> str:
    return _(
        "Someone else saved this %(noun)s while you were editing it. "
        "Open it again to see their changes, then make yours."
    ) % {"noun": noun}


def call_service(
    form: forms.BaseForm,
    call: Callable[[], Any],
    *,
    stale: str,
    permission_field: str | None = None,
    aliases: dict[str, str | None] | None = None,
) -> Any | None:
    """Run a write for a valid form; show what the service refused on the form and return None.

    A stale version becomes the `stale` message, a refused permission an error on
    `permission_field`, and a ValidationError each message on the field it names.
    """
    try:
        return call()
    except StaleVersionError:
        form.add_error(None, stale)
    except PermissionDenied as exc:
        form.add_error(permission_field, str(exc))
    except ValidationError as exc:
        apply_service_errors(form, exc, aliases=aliases)
    return None


def apply_service_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str | None] | None = None
) -> None:
    """Show a service's ValidationError on the form, each message on the field it names."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = aliases.get(field, field)
        if name not in form.fields or field == NON_FIELD_ERRORS:
            name = None
        for message in errors:
            form.add_error(name, message)
