"""Choosing one record by what a person types, with or without JavaScript.

A chooser is a text box. With htmx it asks a small GET endpoint for suggestions while the person
types (a <datalist>). On submit, the typed text is matched: one match is used; several are kept on
the field as `candidates`, which the page offers as "Which one did you mean?" (radio buttons named
`<name>-pick` in a form that posts, links in a filter form); none is an error naming the field.
Labels show what a person knows (a name and a code or a country), never an internal id; a bare
number is still accepted, for old bookmarked links and the API.
"""

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

_NUMBER = re.compile(r"#?(\d{1,18})")
# 'Name (CODE) #12', as the suggestions of earlier versions read.
_ID_SUFFIX = re.compile(r"#(\d{1,18})\)?\s*$")
MAX_TEXT = 300


@dataclass(frozen=True)
class Candidate:
    """One of several records that matched: what the pick sends back, and what a person reads."""

    token: str
    label: str
    detail: str


def typed_text(value: object) -> str:
    """What a person typed, fit for a lookup: spaces normalized, control and other unprintable
    characters (a NUL byte, which PostgreSQL refuses) dropped, at most 300 characters."""
    text = " ".join(str(value or "").split())
    return "".join(ch for ch in text if ch.isprintable())[:MAX_TEXT]


def number_in(text: str) -> int | None:
    """The id in '12', '#12' or 'Name (CODE) #12'; None when the text is not one."""
    match = _NUMBER.fullmatch(text) or _ID_SUFFIX.search(text)
    return int(match.group(1)) if match else None


def split_label(text: str) -> tuple[str, str] | None:
    """'Name (WMAT)' -> ('Name', 'WMAT'); None when the text has no trailing parenthesis.

    The last group is taken whole, parentheses inside it included: a label's country may hold its
    own ('Museum (Cocos (Keeling) Islands)' -> ('Museum', 'Cocos (Keeling) Islands'))."""
    text = text.strip()
    if not text.endswith(")"):
        return None
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        if text[at] == ")":
            depth += 1
        elif text[at] == "(":
            depth -= 1
            if depth == 0:
                base, inner = text[:at].rstrip(), text[at + 1 : -1].strip()
                return (base, inner) if base and inner else None
    return None


class ChooserInput(forms.TextInput):
    """A text box fed with suggestions by htmx; a checked `<name>-pick` radio wins over the text."""

    def __init__(
        self, *, options_url: str = "", options_query: str = "", attrs: dict | None = None
    ) -> None:
        super().__init__(attrs={"maxlength": MAX_TEXT, "autocomplete": "off", **(attrs or {})})
        self.options_url = options_url
        self.options_query = options_query

    def value_from_datadict(self, data, files, name):
        return data.get(f"{name}-pick") or data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}-pick" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if self.options_url and widget_attrs.get("id"):
            from django.urls import reverse

            options = f"{widget_attrs['id']}-options"
            widget_attrs.update(
                {
                    "list": options,
                    "hx-get": reverse(self.options_url)
                    + (f"?{self.options_query}" if self.options_query else ""),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{options}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                    # Not what a filter form around it asks of its own requests.
                    "hx-select": "unset",
                    "hx-push-url": "false",
                    "hx-indicator": "unset",
                }
            )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html

        html = super().render(name, value, attrs, renderer)
        element_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not (self.options_url and element_id):
            return html
        return format_html('{}<datalist id="{}-options"></datalist>', html, element_id)


class ChooserField(forms.Field):
    """A record chosen from typed text. Subclasses say how text is matched and how a record reads."""

    widget = ChooserInput
    limit = 8
    noun = _("record")
    default_error_messages = {
        "unknown_number": _("Nothing you may see has this number. Type a name instead."),
        "unknown": _("No match for “%(value)s”. Check the spelling or type more of the name."),
        "ambiguous": _("“%(value)s” matches several. Which one did you mean?"),
        "many": _(
            "“%(value)s” matches many; here are the first %(n)s. Type more of the name to narrow "
            "it, or pick one of these."
        ),
    }

    def __init__(self, *, queryset: models.QuerySet | None = None, **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(**kwargs)
        self.candidates: list[Candidate] = []
        self._chosen: dict[str, models.Model] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.candidates = []
        result._chosen = {}
        return result

    # What a subclass provides.
    def get_queryset(self) -> models.QuerySet:
        if self.queryset is None:
            raise ImproperlyConfigured("A chooser needs a queryset.")
        return self.queryset

    def find(self, qs: models.QuerySet, text: str) -> list:
        """The records `text` names: the one it identifies, else those whose name it matches."""
        raise NotImplementedError

    def label_of(self, obj) -> str:
        return str(obj)

    def detail_of(self, obj) -> str:
        return ""

    def code_of(self, obj) -> str:
        """A short text that identifies `obj` alone, if it has one (a short code)."""
        return ""

    def check_choice(self, obj) -> None:
        """Refuse a matched record that does not fit the field (ValidationError)."""

    # The field's behaviour.
    def prepare_value(self, value):
        if isinstance(value, models.Model):
            return self.label_of(value)
        if isinstance(value, str) and value in self._chosen:
            return self.label_of(self._chosen[value])
        if isinstance(value, int):
            obj = self.get_queryset().filter(pk=value).first()
            return self.label_of(obj) if obj else ""
        return value

    def to_python(self, value):
        text = typed_text(value)
        if not text:
            return None
        found = self.find(self.get_queryset(), text)
        if not found and number_in(text) is not None:
            # A number from an old link or the API: whether such a record exists (and is only
            # hidden from this viewer) is not told, so the message names no value.
            raise forms.ValidationError(
                self.error_messages["unknown_number"], code="unknown_number"
            )
        if not found:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        if len(found) > 1:
            self.candidates = self._candidates(found)
            many = len(found) >= self.limit  # perhaps more than shown
            raise forms.ValidationError(
                self.error_messages["many" if many else "ambiguous"],
                code="ambiguous",
                params={"value": text, "n": len(found)},
            )
        self.check_choice(found[0])
        self._chosen[str(value)] = found[0]
        return found[0]

    def _candidates(self, found: list) -> list[Candidate]:
        labels = [self.label_of(obj) for obj in found]
        return [
            Candidate(
                # The label itself, unless two candidates read the same: then only the number
                # tells them apart (it goes back with the pick, never on the page).
                token=self.code_of(obj) or (label if labels.count(label) == 1 else f"#{obj.pk}"),
                label=label,
                detail=self.detail_of(obj),
            )
            for obj, label in zip(found, labels, strict=True)
        ]


def unmatched(form: forms.BaseForm) -> list[str]:
    """Names of the form's choosers whose typed text matched nothing or several records."""
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, ChooserField) and name in form.errors
    ]


def chooser_notices(form: forms.BaseForm) -> list[str]:
    """A filter form's notice for each chooser whose text matched nothing or several records
    (its list then shows nothing rather than everything: see `unmatched`)."""
    notices = []
    for name in unmatched(form):
        errors = [e for e in form.errors.as_data()[name] if e.code != "unknown_number"]
        if errors:  # a number that matches nothing reads as an empty list, as the API always did
            text = " ".join(" ".join(e.messages) for e in errors)
            notices.append(
                _("%(label)s: %(error)s") % {"label": form.fields[name].label, "error": text}
            )
    return notices


def pick_links(form: forms.BaseForm) -> list[dict]:
    """For a filter form read from a query string: each ambiguous chooser with a link per
    candidate (the same query with that candidate chosen)."""
    query = form.data if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    found = []
    for name, field in form.fields.items():
        if not isinstance(field, ChooserField) or not field.candidates:
            continue
        key = form.add_prefix(name)
        links = []
        for candidate in field.candidates:
            params = query.copy()
            params[key] = candidate.token
            params.pop(f"{key}-pick", None)
            params.pop("page", None)
            links.append({"href": "?" + params.urlencode(), "candidate": candidate})
        found.append({"label": field.label, "links": links})
    return found
