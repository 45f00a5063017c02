from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
