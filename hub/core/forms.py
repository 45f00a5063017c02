from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hub.core.exceptions import StaleVersionError


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
