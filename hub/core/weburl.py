"""Web addresses people enter: the one rule for every stored URL, and the field that carries it.

A stored address becomes a link (`href`) on our pages, in the API and in the open data, so it must
be one a browser can only open as a web page: http or https, with a host. Anything else
(`javascript:`, `data:`, `vbscript:`, `//host`, `\\\\host`, a scheme hidden by tabs, newlines or
other invisible characters) is refused on the way in by `validate_web_url`, and `is_web_url` is what
templates ask before they make a link of a value (the `web_url` filter), so a row stored before the
rule is shown as text, never as a link.

Every model keeps addresses in a `WebURLField`; forms, the API and the imports reach the rule
through the model's validation.
"""

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
MAX_LENGTH = 2048
# Browsers ignore the case of a scheme, so we do too; nothing may come before it (a browser drops
# leading spaces and control characters, which we refuse instead).
_STARTS_WEB = re.compile(r"https?://[^/\\]", re.IGNORECASE)
_django_url = URLValidator(schemes=list(WEB_SCHEMES))

MESSAGE = _(
    "Enter a web address that starts with https:// or http://, such as https://example.org."
)


def _invisible(char: str) -> bool:
    # Unicode categories C* (control, format such as zero-width and bidi marks, surrogates, private
    # use, unassigned) and Z* (every kind of space, line and paragraph separators).
    return unicodedata.category(char)[0] in "CZ"


def is_web_url(value: Any) -> bool:
    """`value` is an http or https address with a host, safe to put in an `href`."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return False
    if not _STARTS_WEB.match(value) or "\\" in value or any(_invisible(c) for c in value):
        return False
    try:
        _django_url(value)
    except ValidationError:
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def validate_web_url(value: Any) -> None:
    """The validator of every stored web address; its message says what is expected."""
    if not is_web_url(value):
        raise ValidationError(MESSAGE, code="web_url")


class WebURLFormField(forms.URLField):
    """A form's web address: a bare host gets https:// in front (as Django's URLField does), but a
    scheme-relative `//host` or `\\\\host` is left as typed, for the validator to refuse."""

    # A text input, not type="url": the browser would refuse the bare host we complete.
    widget = forms.TextInput(attrs={"inputmode": "url"})
    default_validators = [validate_web_url]
    default_error_messages = {"invalid": MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text[:1] in ("/", "\\"):
            return text
        return super().to_python(value)


class WebURLField(models.URLField):
    """A model's web address (http or https only); see the module's docstring."""

    default_validators = [validate_web_url]
    default_error_messages = {"invalid": MESSAGE}

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
